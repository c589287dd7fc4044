package dev.gameday.faults;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Objects;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A fault that can be injected into a running environment. Injecting applies it, verifies from outside that it took
 * effect, and returns an {@link ActiveFault} whose {@code close()} reverts it and verifies the revert.
 *
 * <pre>{@code
 * Fault redisTimeout = NetworkFaults.timeout(environment.target("redis"));
 * try (ActiveFault active = redisTimeout.inject()) {
 *     // Redis accepts connections but never answers until the block ends
 * }
 * }</pre>
 */
public final class Fault {

    /** How long a fault's effect (and its revert) may take to become observable. */
    public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final String name;
    private final Disruption disruption;
    private final Duration verifyTimeout;

    private Fault(String name, Disruption disruption, Duration verifyTimeout) {
        this.name = requireName(name);
        this.disruption = Objects.requireNonNull(disruption, "disruption");
        this.verifyTimeout = Objects.requireNonNull(verifyTimeout, "verifyTimeout");
        if (verifyTimeout.isNegative() || verifyTimeout.isZero()) {
            throw new IllegalArgumentException("Fault '" + name + "': verification timeout must be > 0, but was "
                    + verifyTimeout + ".");
        }
    }

    /** A fault from a backend's disruption; most users call a factory such as {@link NetworkFaults} instead. */
    public static Fault of(String name, Disruption disruption) {
        return new Fault(name, disruption, DEFAULT_VERIFY_TIMEOUT);
    }

    /** The same fault under another name. */
    public Fault named(String newName) {
        return new Fault(newName, disruption, verifyTimeout);
    }

    /** The same fault, allowing its effect and its revert this long to show. */
    public Fault verifiedWithin(Duration timeout) {
        return new Fault(name, disruption, timeout);
    }

    public String name() {
        return name;
    }

    public String describe() {
        return disruption.describe();
    }

    /** Injects the fault and waits until its effect is verified. */
    public ActiveFault inject() {
        return inject(FaultListener.NONE);
    }

    /**
     * Injects the fault, telling the listener each step, and waits until its effect is verified.
     *
     * @throws FaultException when it could not be applied or its effect never showed; whatever was applied has been
     *                        reverted by then
     */
    public ActiveFault inject(FaultListener listener) {
        ActiveFault handle = new ActiveFault(this, listener);
        SafetyNet.register(handle);
        listener.injecting(name, describe());
        try {
            disruption.removeLeftovers();
            disruption.apply();
            String evidence = awaitEffect(true);
            handle.moveTo(FaultState.ACTIVE);
            listener.active(name, evidence);
            return handle;
        } catch (Exception e) {
            String reason = reason(e);
            try {
                disruption.revert();
                handle.moveTo(FaultState.RESTORED);
                SafetyNet.unregister(handle);
            } catch (Exception revertFailure) {
                e.addSuppressed(revertFailure);
                handle.moveTo(FaultState.RESTORE_FAILED);
            }
            listener.injectionFailed(name, reason);
            throw new FaultException("Fault '" + name + "' could not be injected: " + reason
                    + ". Check that the target is running and reachable from the harness.", e);
        }
    }

    void revert(FaultListener listener) {
        listener.restoring(name);
        try {
            disruption.revert();
            listener.restored(name, awaitEffect(false));
        } catch (Exception e) {
            String reason = reason(e);
            listener.restoreFailed(name, reason);
            throw new FaultException("Fault '" + name + "' could not be reverted: " + reason
                    + ". The environment may still be degraded: " + describe() + ". Revert it by hand, or restart the"
                    + " environment.", e);
        }
    }

    private String awaitEffect(boolean expected) {
        String alias = "fault '" + name + "' " + (expected ? "takes effect" : "is reverted") + " (" + describe() + ")";
        return await(alias)
                .atMost(verifyTimeout)
                .pollInterval(POLL_INTERVAL)
                .pollDelay(Duration.ZERO)
                .until(disruption::observe, observation -> observation.inEffect() == expected)
                .evidence();
    }

    private String reason(Exception e) {
        if (e instanceof ConditionTimeoutException) {
            return "its effect did not show within " + readable(verifyTimeout) + " (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
