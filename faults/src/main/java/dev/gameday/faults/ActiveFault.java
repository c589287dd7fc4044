package dev.gameday.faults;

import java.util.Optional;

/**
 * An injected fault. {@link #close()} reverts it, verifies the revert and clears its fault journal entry; it is
 * idempotent, throws no checked exception, and can be called again after a failed revert to retry. For an event
 * (a kill) there is nothing to revert and closing only records that.
 *
 * <pre>{@code
 * try (ActiveFault active = fault.inject()) {
 *     // the environment is degraded here
 * } // reverted and verified here, whatever happened inside
 * }</pre>
 */
public final class ActiveFault implements AutoCloseable {

    private final Fault fault;
    private final FaultListener listener;
    final AppliedState state;
    private final Optional<FaultJournal.Entry> journalEntry;
    private FaultState lifecycle = FaultState.PENDING;

    ActiveFault(Fault fault, FaultListener listener, AppliedState state, Optional<FaultJournal.Entry> journalEntry) {
        this.fault = fault;
        this.listener = listener;
        this.state = state;
        this.journalEntry = journalEntry;
    }

    /** What this injection changed, as its revert and the fault journal know it. */
    public AppliedState appliedState() {
        return state;
    }

    /** Whether it was an event (a kill): nothing to revert, the system recovers by itself. */
    public boolean isEvent() {
        return fault.isEvent();
    }

    public String name() {
        return fault.name();
    }

    public synchronized FaultState state() {
        return lifecycle;
    }

    /**
     * Reverts the fault and waits until the revert is verified.
     *
     * @throws FaultException when the revert failed; the state is then {@link FaultState#RESTORE_FAILED}
     */
    @Override
    public synchronized void close() {
        if (lifecycle == FaultState.RESTORED) {
            return;
        }
        try {
            fault.revert(listener, state);
        } catch (FaultException e) {
            moveTo(FaultState.RESTORE_FAILED);
            throw e;
        }
        moveTo(FaultState.RESTORED);
        forget();
    }

    /** Reverted (or never applied): off the safety net and out of the journal. */
    void forget() {
        SafetyNet.unregister(this);
        journalEntry.ifPresent(entry -> fault.journal().clear(entry));
    }

    synchronized void moveTo(FaultState next) {
        if (lifecycle == next) {
            return;
        }
        if (!lifecycle.canMoveTo(next)) {
            throw new IllegalStateException("Fault '" + name() + "' cannot move from " + lifecycle + " to " + next
                    + ".");
        }
        lifecycle = next;
    }

    @Override
    public String toString() {
        return name() + " (" + state() + ")";
    }
}
