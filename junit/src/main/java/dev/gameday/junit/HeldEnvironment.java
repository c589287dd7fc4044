package dev.gameday.junit;

import dev.gameday.environments.Environment;
import dev.gameday.faults.SafetyNet;

/**
 * An environment the extension started and must close: closed by the JUnit store that holds it, or, if the JVM is
 * interrupted first, by a shutdown hook that reverts any fault still active before it stops the environment.
 */
final class HeldEnvironment implements AutoCloseable {

    private final Environment environment;
    private final Thread hook;
    private boolean closed;

    HeldEnvironment(Environment environment, String owner) {
        this.environment = environment;
        this.hook = new Thread(() -> {
            System.err.println("gameday: interrupted: reverting active faults, then stopping the environment of " + owner);
            SafetyNet.revertAll().forEach(failure -> System.err.println("gameday: " + failure));
            environment.close();
        }, "gameday-junit-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    Environment environment() {
        return environment;
    }

    /** Stops the environment; idempotent. The hook stays until the stop is done, as the runner's does. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            environment.close();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook closes the environment, which is idempotent
            }
        }
    }
}
