package dev.gameday.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a fault backend does to its target: apply, revert, and check whether the effect is observable from outside.
 * Implementations live in backend packages ({@code toxiproxy}, later {@code docker}, {@code kubernetes}); users get
 * them from factories such as {@link NetworkFaults}.
 */
public interface Disruption {

    /** One line for reports, for example {@code timeout toxic on redis (upstream, data held until removed)}. */
    String describe();

    /** Applies the disruption; called once. */
    void apply() throws Exception;

    /** Reverts it; must succeed even when {@link #apply} failed half-way, and may be called again after a failure. */
    void revert() throws Exception;

    /**
     * Checks from outside whether the effect is observable right now, for example whether a Redis PING through the
     * proxy goes unanswered, with what was seen as evidence for the report either way. When what was seen shows
     * neither (no answer at all, for a latency fault), the observation is {@link Observation#inconclusive inconclusive}.
     */
    Observation observe() throws Exception;

    /**
     * The longest one {@link #observe()} can take, so that a fault can say how short it may be and still be verified.
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
     * What one check from outside saw.
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

    /**
     * Removes what a killed earlier run may have left applied on the same target (for example a toxic with this
     * project's name prefix). Called before {@link #apply}.
     */
    default void removeLeftovers() throws Exception {
    }
}
