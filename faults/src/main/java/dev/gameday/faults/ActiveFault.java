package dev.gameday.faults;

/**
 * An injected fault. {@link #close()} reverts it and verifies the revert; it is idempotent, throws no checked
 * exception, and can be called again after a failed revert to retry.
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
    private FaultState state = FaultState.PENDING;

    ActiveFault(Fault fault, FaultListener listener) {
        this.fault = fault;
        this.listener = listener;
    }

    public String name() {
        return fault.name();
    }

    public synchronized FaultState state() {
        return state;
    }

    /**
     * Reverts the fault and waits until the revert is verified.
     *
     * @throws FaultException when the revert failed; the state is then {@link FaultState#RESTORE_FAILED}
     */
    @Override
    public synchronized void close() {
        if (state == FaultState.RESTORED) {
            return;
        }
        try {
            fault.revert(listener);
        } catch (FaultException e) {
            moveTo(FaultState.RESTORE_FAILED);
            throw e;
        }
        moveTo(FaultState.RESTORED);
        SafetyNet.unregister(this);
    }

    synchronized void moveTo(FaultState next) {
        if (state == next) {
            return;
        }
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("Fault '" + name() + "' cannot move from " + state + " to " + next + ".");
        }
        state = next;
    }

    @Override
    public String toString() {
        return name() + " (" + state() + ")";
    }
}
