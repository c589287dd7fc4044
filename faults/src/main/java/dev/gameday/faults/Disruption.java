package dev.gameday.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a fault backend does to its target. One instance is the plan; each injection gets its own
 * {@link AppliedState} from {@link #prepare()}, and {@link #apply}, {@link #observe} and {@link #revert} act on that
 * injection only, so two injections of one plan (or two faults on one proxy) never undo each other. Implementations
 * live in backend packages; users get them from factories such as {@link NetworkFaults}.
 *
 * <pre>{@code
 * Disruption pause = ...;                       // a plan
 * AppliedState state = pause.prepare();          // reads what the revert will need; changes nothing
 * pause.apply(state);                            // the journal already holds `state` on disk
 * boolean frozen = pause.observe(state).effect() == Observation.Effect.IN_EFFECT;
 * pause.revert(state);
 * }</pre>
 */
public interface Disruption {

    /**
     * A state lasts until it is reverted (latency, a pause, a held lock); an event happens once and the system must
     * recover by itself (a kill, an OOM kill, terminated backends): there is nothing to revert.
     */
    enum Kind {
        STATE, EVENT
    }

    /** One line for reports, for example {@code timeout toxic on redis (upstream, data held until removed)}. */
    String describe();

    /** Whether this is a state to revert or an event to recover from; a state by default. */
    default Kind kind() {
        return Kind.STATE;
    }

    /**
     * Starts one injection: reads what its revert will need (the previous CPU quota) and picks its names (a toxic's,
     * a stub's), without changing anything. Called once per injection, before {@link #observe} and {@link #apply}.
     */
    AppliedState prepare() throws Exception;

    /**
     * Applies this injection. An {@linkplain Kind#EVENT event} causes the event and, before returning, undoes what it
     * set up to cause it, so that nothing stays applied.
     */
    void apply(AppliedState injection) throws Exception;

    /**
     * Reverts this injection exactly, and nothing else; must succeed even when {@link #apply} failed half-way, and may
     * be called again after a failure. For an {@linkplain Kind#EVENT event} it only undoes what {@link #apply} set up
     * to cause the event (a lowered memory limit), should apply have failed or been killed before undoing it itself;
     * the event itself is never reverted.
     */
    void revert(AppliedState injection) throws Exception;

    /**
     * Checks, from outside and where possible from inside the target (Docker's state, the datastore's own views),
     * whether this injection's effect is observable right now, with what was seen as evidence either way. Called
     * before {@link #apply} too, where it must show the effect absent. When what was seen shows neither, the
     * observation is {@link Observation#inconclusive inconclusive}. For an event, "in effect" means it happened.
     */
    Observation observe(AppliedState injection) throws Exception;

    /**
     * The longest one {@link #observe} can take, so that a fault can say how short it may be and still be verified.
     * Defaults to zero: an observation that needs no waiting.
     */
    default Duration observationTime() {
        return Duration.ZERO;
    }

    /** A meter of the traffic the system under test sends towards the target, where the backend can count it. */
    default Optional<TrafficMeter> trafficMeter() {
        return Optional.empty();
    }

    /**
     * What one check saw.
     *
     * @param effect   whether the disruption's effect was observable, not observable, or neither could be told
     * @param evidence what was seen, for example {@code Redis PING to localhost:32771 answered in 0.4 ms}
     */
    record Observation(Effect effect, String evidence) {

        /** What an observation shows. Only a definite state verifies an injection or a revert. */
        public enum Effect {
            IN_EFFECT, NOT_IN_EFFECT, INCONCLUSIVE
        }

        public Observation {
            Objects.requireNonNull(effect, "effect");
            Objects.requireNonNull(evidence, "evidence");
        }

        public static Observation inEffect(String evidence) {
            return new Observation(Effect.IN_EFFECT, evidence);
        }

        public static Observation notInEffect(String evidence) {
            return new Observation(Effect.NOT_IN_EFFECT, evidence);
        }

        /** What was seen shows neither the effect nor its absence, for example silence during a latency fault. */
        public static Observation inconclusive(String evidence) {
            return new Observation(Effect.INCONCLUSIVE, evidence);
        }
    }
}
