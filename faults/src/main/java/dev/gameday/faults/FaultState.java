package dev.gameday.faults;

import java.util.Set;

/**
 * The life of a fault: pending, active, then restored, or restore-failed when the revert did not work. A fault
 * whose injection failed goes straight from pending to restored (nothing stayed applied) or to restore-failed.
 */
public enum FaultState {
    PENDING, ACTIVE, RESTORED, RESTORE_FAILED;

    /** Whether the fault may move from this state to {@code next}. */
    public boolean canMoveTo(FaultState next) {
        return switch (this) {
            case PENDING -> Set.of(ACTIVE, RESTORED, RESTORE_FAILED).contains(next);
            case ACTIVE -> Set.of(RESTORED, RESTORE_FAILED).contains(next);
            case RESTORE_FAILED -> next == RESTORED;
            case RESTORED -> false;
        };
    }
}
