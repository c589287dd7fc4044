package dev.gameday.faults.internal;

import dev.gameday.faults.AppliedState;
import java.util.Map;

/**
 * Reverts an {@link AppliedState} from its values alone, in a process other than the one that applied it: what
 * {@code gameday cleanup} does with the fault journal's leftovers. Each backend registers its reverter here.
 *
 * <pre>{@code
 * String outcome = Reverters.revert(entry.state());   // "toxic gameday-redis-timeout-1f3a removed from proxy redis"
 * }</pre>
 */
public final class Reverters {

    /** Reverts one backend's applied state and says what it did; throws when it could not. */
    @FunctionalInterface
    public interface Reverter {
        String revert(AppliedState state) throws Exception;
    }

    private static final Map<String, Reverter> BY_BACKEND = Map.of(
            ToxiproxyDisruption.BACKEND, ToxiproxyDisruption::revertRecorded,
            WireMockDisruption.BACKEND, WireMockDisruption::revertRecorded,
            RedisDisruption.BACKEND, RedisDisruption::revertRecorded,
            DockerDisruption.BACKEND, DockerDisruption::revertRecorded,
            PostgresSessions.BACKEND, PostgresSessions::revertRecorded);

    private Reverters() {
    }

    /** Reverts the state with its backend's reverter. */
    public static String revert(AppliedState state) throws Exception {
        Reverter reverter = BY_BACKEND.get(state.backend());
        if (reverter == null) {
            throw new IllegalStateException("no reverter for backend '" + state.backend() + "' (this version knows "
                    + BY_BACKEND.keySet() + "); its state was " + state);
        }
        return reverter.revert(state);
    }
}
