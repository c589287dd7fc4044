package dev.gameday.faults;

/**
 * Hears a fault's life cycle; the experiment runner writes these moments into the timeline. Every method has a
 * no-op default.
 */
public interface FaultListener {

    FaultListener NONE = new FaultListener() {
    };

    /** The fault is being applied. */
    default void injecting(String fault, String description) {
    }

    /** The fault's effect was verified. */
    default void active(String fault, String evidence) {
    }

    /** The fault could not be applied or its effect never showed; it has been reverted as far as possible. */
    default void injectionFailed(String fault, String reason) {
    }

    /** The fault is being reverted. */
    default void restoring(String fault) {
    }

    /** The revert was verified. */
    default void restored(String fault, String evidence) {
    }

    /** The revert failed; the environment may still be degraded. */
    default void restoreFailed(String fault, String reason) {
    }
}
