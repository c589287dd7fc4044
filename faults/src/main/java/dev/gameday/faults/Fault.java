package dev.gameday.faults;

import static org.awaitility.Awaitility.await;

import dev.gameday.faults.Disruption.Observation;
import dev.gameday.faults.Disruption.Observation.Effect;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A fault that can be injected into a running environment: a plan, of which each injection gets its own
 * {@link AppliedState}. Injecting records that state in the {@link FaultJournal}, applies it, verifies that it took
 * effect, and returns an {@link ActiveFault} whose {@code close()} reverts it, verifies the revert and clears the
 * journal entry. An {@linkplain #isEvent() event} (a kill) is verified to have happened and has nothing to revert.
 *
 * <pre>{@code
 * Fault redisTimeout = NetworkFaults.timeout(environment.target("redis"));
 * try (ActiveFault active = redisTimeout.inject()) {
 *     // Redis accepts connections but never answers until the block ends
 * }
 * }</pre>
 *
 * <p>Verification is from outside and needs a definite answer: before the fault, the target must answer through its
 * proxy; the fault is active only once an observation shows its effect, and reverted only once one shows it gone.
 * An observation that shows neither (silence, for a latency fault) verifies nothing, either way.
 */
public final class Fault {

    /** How long a fault's effect (and its revert) may take to become observable. */
    public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MINIMUM_DURATION_FLOOR = Duration.ofSeconds(1);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final String name;
    private final Disruption disruption;
    private final Duration verifyTimeout;
    private final FaultJournal journal;

    private Fault(String name, Disruption disruption, Duration verifyTimeout, FaultJournal journal) {
        this.name = requireName(name);
        this.journal = Objects.requireNonNull(journal, "journal");
        this.disruption = Objects.requireNonNull(disruption, "disruption");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        if (verifyTimeout.isNegative() || verifyTimeout.isZero()) {
            throw new IllegalArgumentException("Fault '" + name + "': verification timeout must be > 0, but was "
                    + verifyTimeout + ".");
        }
    }

    /** A fault from a backend's disruption; most users call a factory such as {@link NetworkFaults} instead. */
    public static Fault of(String name, Disruption disruption) {
        return new Fault(name, disruption, DEFAULT_VERIFY_TIMEOUT, FaultJournal.standard());
    }

    /**
     * The same fault, also confirmed by the user's own check: it counts as active only once both its backend's
     * observation and the check show the effect, and as reverted only once both show it gone. Their evidence is
     * reported together.
     *
     * <pre>{@code
     * Fault slowExchange = NetworkFaults.latency(exchange, Duration.ofMillis(800))
     *         .confirmedBy("orders fall back to PENDING_ROUTE", () -> lastOrderStatus().equals("PENDING_ROUTE")
     *                 ? Observation.inEffect("fallback seen") : Observation.notInEffect("routed"));
     * }</pre>
     */
    public Fault confirmedBy(String description, Check check) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(check, "check");
        return new Fault(name, new DecoratedDisruption(disruption, description, check, Optional.empty()), verifyTimeout,
                journal);
    }

    /**
     * The same fault, shown to reach the system under test by the traffic on the target's proxy, when the backend
     * counts none itself: a fault that acts on a dependency directly (its container, its own protocol, its admin
     * API) reaches the system only if the system really talks to that dependency, which the bytes it sends into the
     * dependency's Toxiproxy proxy show. Without a proxy with live connection statistics, the fault stays unmetered.
     */
    Fault meteredThrough(dev.gameday.environments.Target target) {
        if (disruption.trafficMeter().isPresent()) {
            return this;
        }
        Optional<TrafficMeter> meter = target.link()
                .flatMap(dev.gameday.faults.internal.ToxiproxyDisruption::meterOnLink);
        return meter.isEmpty() ? this
                : new Fault(name, new DecoratedDisruption(disruption, "", null, meter), verifyTimeout, journal);
    }

    /** A backend's disruption with a user's check its observations must agree with, or another traffic meter. */
    private record DecoratedDisruption(Disruption backend, String description, Check check,
                                       Optional<TrafficMeter> meter) implements Disruption {
        @Override
        public String describe() {
            return check == null ? backend.describe() : backend.describe() + ", confirmed by " + description;
        }

        @Override
        public Kind kind() {
            return backend.kind();
        }

        @Override
        public AppliedState prepare() throws Exception {
            return backend.prepare();
        }

        @Override
        public void apply(AppliedState injection) throws Exception {
            backend.apply(injection);
        }

        @Override
        public void revert(AppliedState injection) throws Exception {
            backend.revert(injection);
        }

        @Override
        public Observation observe(AppliedState injection) throws Exception {
            Observation own = backend.observe(injection);
            if (check == null) {
                return own;
            }
            Observation theirs = check.observe();
            String evidence = own.evidence() + "; " + description + ": " + theirs.evidence();
            if (own.effect() == theirs.effect()) {
                return new Observation(own.effect(), evidence);
            }
            return Observation.inconclusive(evidence + " (the two disagree)");
        }

        @Override
        public java.time.Duration observationTime() {
            return backend.observationTime();
        }

        @Override
        public Optional<TrafficMeter> trafficMeter() {
            return meter.isPresent() ? meter : backend.trafficMeter();
        }
    }

    /** The same fault under another name. */
    public Fault named(String newName) {
        return new Fault(newName, disruption, verifyTimeout, journal);
    }

    /** The same fault, allowing its effect and its revert this long to show. */
    public Fault verifiedWithin(Duration timeout) {
        return new Fault(name, disruption, timeout, journal);
    }

    /**
     * The same fault, recording its injections in this journal instead of {@link FaultJournal#standard()}.
     *
     * <pre>{@code
     * Fault fault = NetworkFaults.timeout(redis).journaledIn(FaultJournal.at(Path.of("target/faults")));
     * }</pre>
     */
    public Fault journaledIn(FaultJournal otherJournal) {
        return new Fault(name, disruption, verifyTimeout, otherJournal);
    }

    public String name() {
        return name;
    }

    public String describe() {
        return disruption.describe();
    }

    /**
     * The shortest fault whose effect can be verified: long enough for two observations (the backend's
     * {@link Disruption#observationTime()} each), and never below 1 s. A schedule that keeps a fault shorter than
     * this would revert it before it could be shown to have taken effect.
     */
    public Duration minimumDuration() {
        Duration twoObservations = disruption.observationTime().multipliedBy(2);
        return twoObservations.compareTo(MINIMUM_DURATION_FLOOR) > 0 ? twoObservations : MINIMUM_DURATION_FLOOR;
    }

    /**
     * A meter of the bytes the system under test sends towards the target, where the backend can count them, open
     * connections included (Toxiproxy started with {@code -proxy-metrics}, on a link with
     * {@linkplain dev.gameday.environments.NetworkLink#connections() live connection statistics}); read it before and
     * after the fault to show the fault met real traffic.
     */
    public Optional<TrafficMeter> trafficMeter() {
        return disruption.trafficMeter();
    }

    /** Injects the fault and waits until its effect is verified. */
    public ActiveFault inject() {
        return inject(FaultListener.NONE);
    }

    /**
     * Injects the fault, telling the listener each step, and waits until its effect is verified. First it checks that
     * the target answers normally with the fault not applied: a fault on a target that does not answer anyway would
     * prove nothing.
     *
     * @throws FaultException when the target did not answer before the fault (nothing is applied then), or the fault
     *                        could not be applied, or its effect never showed; whatever was applied has been reverted
     *                        by then
     */
    public ActiveFault inject(FaultListener listener) {
        return inject(listener, verifyTimeout);
    }

    /**
     * Like {@link #inject(FaultListener)}, but waits at most {@code verifyWithin} (or this fault's verification
     * timeout, whichever is shorter) for the effect to show, so that a schedule can revert the fault on time even
     * when verification is slow. Before that, the check that the target answers takes at most one observation's
     * time. When the effect has not shown in time, the fault is reverted and a {@link FaultException} thrown.
     *
     * <pre>{@code
     * try (ActiveFault active = fault.inject(listener, Duration.ofSeconds(5))) {
     *     // the effect was verified within 5 s
     * }
     * }</pre>
     */
    public ActiveFault inject(FaultListener listener, Duration verifyWithin) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(verifyWithin, "verifyWithin");
        if (verifyWithin.isNegative() || verifyWithin.isZero()) {
            throw new IllegalArgumentException("Fault '" + name + "': the time to verify its effect must be > 0, but"
                    + " was " + verifyWithin + ". Pass the time the schedule allows, such as Duration.ofSeconds(5).");
        }
        Duration effectTimeout = verifyWithin.compareTo(verifyTimeout) < 0 ? verifyWithin : verifyTimeout;
        listener.injecting(name, describe());
        AppliedState state;
        Observation before;
        try {
            state = disruption.prepare();
            before = disruption.observe(state);
        } catch (Exception e) {
            String reason = reason(e);
            listener.injectionFailed(name, reason);
            throw new FaultException("Fault '" + name + "' could not be injected: " + reason + ". Nothing was applied."
                    + " Check that the target is running and reachable from the harness.", e);
        }
        if (before.effect() != Effect.NOT_IN_EFFECT) {
            String reason = "the target did not answer normally before the fault (" + before.evidence()
                    + "), so a fault on it would prove nothing";
            listener.injectionFailed(name, reason);
            throw new FaultException("Fault '" + name + "' could not be injected: " + reason + ". Nothing was applied."
                    + " Check that the target is running and healthy, that its proxy is enabled and forwards to it,"
                    + " and that no other fault is applied to it.");
        }
        // On disk before anything changes. An event's apply() undoes what it set up to cause it (a lowered memory
        // limit) before it returns, so its entry is cleared then; a state's stays until its revert is verified.
        Optional<FaultJournal.Entry> entry;
        try {
            entry = Optional.of(journal.record(name, describe(), state));
        } catch (java.io.UncheckedIOException e) {
            listener.injectionFailed(name, e.getMessage());
            throw new FaultException("Fault '" + name + "' could not be injected: " + e.getMessage(), e);
        }
        ActiveFault handle = new ActiveFault(this, listener, state, entry);
        SafetyNet.register(handle);
        try {
            disruption.apply(state);
            if (isEvent()) {
                journal.clear(entry.get());
            }
            String evidence = awaitEffect(state, Effect.IN_EFFECT, effectTimeout);
            handle.moveTo(FaultState.ACTIVE);
            listener.active(name, evidence);
            return handle;
        } catch (Exception e) {
            throw injectionFailed(handle, listener, e);
        }
    }

    /** Whether this fault is an event the system must recover from by itself, with nothing to revert. */
    public boolean isEvent() {
        return disruption.kind() == Disruption.Kind.EVENT;
    }

    private FaultException injectionFailed(ActiveFault handle, FaultListener listener, Exception e) {
        String reason = reason(e);
        try {
            disruption.revert(handle.state);
            handle.moveTo(FaultState.RESTORED);
            handle.forget();
        } catch (Exception revertFailure) {
            e.addSuppressed(revertFailure);
            handle.moveTo(FaultState.RESTORE_FAILED);
        }
        listener.injectionFailed(name, reason);
        return new FaultException("Fault '" + name + "' could not be injected: " + reason
                + ". Check that the target is running and reachable from the harness.", e);
    }

    void revert(FaultListener listener, AppliedState state) {
        listener.restoring(name);
        if (isEvent()) {
            listener.restored(name, "an event (" + describe() + "): nothing to revert; the system recovers by itself");
            return;
        }
        try {
            disruption.revert(state);
            listener.restored(name, awaitEffect(state, Effect.NOT_IN_EFFECT, verifyTimeout));
        } catch (Exception e) {
            String reason = reason(e);
            listener.restoreFailed(name, reason);
            throw new FaultException("Fault '" + name + "' could not be reverted: " + reason
                    + ". The environment may still be degraded: " + describe() + ". Revert it by hand, restart the"
                    + " environment, or run 'gameday cleanup' once this process has ended.", e);
        }
    }

    FaultJournal journal() {
        return journal;
    }

    /** Waits for an observation in the expected state; an inconclusive one never counts, either way. */
    private String awaitEffect(AppliedState state, Effect expected, Duration timeout) throws VerificationTimeout {
        boolean injecting = expected == Effect.IN_EFFECT;
        String alias = "fault '" + name + "' " + (injecting ? "takes effect" : "is reverted") + " (" + describe() + ")";
        AtomicReference<Observation> last = new AtomicReference<>();
        try {
            return await(alias)
                    .atMost(timeout)
                    .pollInterval(POLL_INTERVAL)
                    .pollDelay(Duration.ZERO)
                    .until(() -> {
                        Observation observation = disruption.observe(state);
                        last.set(observation);
                        return observation;
                    }, observation -> observation.effect() == expected)
                    .evidence();
        } catch (ConditionTimeoutException e) {
            Observation seen = last.get();
            throw new VerificationTimeout((injecting ? "its effect" : "its revert") + " did not show within "
                    + readable(timeout) + (seen == null ? ": no observation finished in that time"
                    : "; last observation (" + seen.effect().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + "): " + seen.evidence()), e);
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The effect or the revert did not show in time; the message says what was seen last. */
    private static final class VerificationTimeout extends Exception {
        VerificationTimeout(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1_000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("Fault name must be lower-case letters, digits and dashes, such as"
                    + " 'redis-timeout', but was '" + name + "'.");
        }
        return name;
    }

    @Override
    public String toString() {
        return name + ": " + describe();
    }
}
