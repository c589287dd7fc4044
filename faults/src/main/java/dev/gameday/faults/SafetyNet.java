package dev.gameday.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The last line behind try-with-resources: faults still active when the JVM shuts down (Ctrl-C, System.exit, an
 * uncaught error) are reverted by a shutdown hook, newest first. A killed JVM cannot run hooks; for that, each
 * {@link FaultJournal} holds what each fault applied, and the next run (or {@code gameday cleanup}) reverts it.
 *
 * <p>The JVM runs shutdown hooks concurrently. A hook that tears down what faults act on (an environment) must call
 * {@link #revertAll()} first: reverts are serialised, so it returns only once every fault is reverted, whichever
 * hook got to them first.
 * <pre>{@code
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> { SafetyNet.revertAll(); environment.close(); }));
 * }</pre>
 */
public final class SafetyNet {

    private static final ConcurrentLinkedDeque<ActiveFault> ACTIVE = new ConcurrentLinkedDeque<>();
    private static volatile boolean hookInstalled;

    private SafetyNet() {
    }

    static void register(ActiveFault fault) {
        installHook();
        ACTIVE.push(fault);
    }

    static void unregister(ActiveFault fault) {
        ACTIVE.remove(fault);
    }

    /** Reverts every fault still active, newest first, and returns what could not be reverted. */
    public static synchronized List<String> revertAll() {
        List<String> failures = new ArrayList<>();
        ActiveFault fault;
        while ((fault = ACTIVE.poll()) != null) {
            try {
                fault.close();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        return Collections.unmodifiableList(failures);
    }

    /**
     * Holds the same lock as {@link #revertAll()}: another shutdown hook that is reverting already (the runner's, on
     * Ctrl-C) finishes first, and this one then finds nothing left to announce or revert.
     */
    private static synchronized void revertAtShutdown() {
        if (!ACTIVE.isEmpty()) {
            System.err.println("gameday: reverting " + ACTIVE.size() + " fault(s) still active at shutdown: " + ACTIVE);
            revertAll().forEach(failure -> System.err.println("gameday: " + failure));
        }
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(SafetyNet::revertAtShutdown, "gameday-fault-safety-net"));
        hookInstalled = true;
    }
}
