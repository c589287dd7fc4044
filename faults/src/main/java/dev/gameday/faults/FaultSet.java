package dev.gameday.faults;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Several active faults closed together, in reverse order of injection. The first revert failure is thrown with the
 * others attached as suppressed; every fault gets its revert attempt.
 *
 * <pre>{@code
 * try (FaultSet faults = new FaultSet()) {
 *     faults.add(NetworkFaults.latency(postgres, Duration.ofMillis(200)).inject());
 *     faults.add(NetworkFaults.timeout(redis).inject());
 * }
 * }</pre>
 */
public final class FaultSet implements AutoCloseable {

    private final Deque<ActiveFault> faults = new ArrayDeque<>();

    public synchronized ActiveFault add(ActiveFault fault) {
        faults.push(fault);
        return fault;
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        while (!faults.isEmpty()) {
            ActiveFault fault = faults.pop();
            try {
                fault.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
