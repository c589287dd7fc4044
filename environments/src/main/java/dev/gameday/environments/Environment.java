package dev.gameday.environments;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A running system under test and its dependencies, handed out as named {@link Target}s. Closing it stops
 * everything it started.
 *
 * <pre>{@code
 * try (Environment environment = DemoTradingSystem.builder().start()) {
 *     Target api = environment.entryPoint();
 *     Target redis = environment.target("redis");
 * }
 * }</pre>
 */
public interface Environment extends AutoCloseable {

    /** For reports, for example {@code demo-trading-system}. */
    String name();

    /** Every target, the entry point first. */
    List<Target> targets();

    /** Where load is sent. */
    Target entryPoint();

    /** The target with this name, or an error listing the names there are. */
    default Target target(String name) {
        return targets().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Environment '" + name() + "' has no target '" + name
                        + "'; it has " + targets().stream().map(Target::name).toList() + ". Use one of those names."));
    }

    /**
     * Checks that the environment is still fit to run an experiment against, for example between two experiments
     * that share it; does nothing unless the environment knows how to check itself.
     *
     * <pre>{@code
     * environment.checkHealthy();   // throws if a container stopped or the service is not ready
     * }</pre>
     *
     * @throws EnvironmentUnavailableException when it is not healthy; the message says what is wrong
     */
    default void checkHealthy() {
    }

    /**
     * Tells the listener, from another thread, whenever a target dies, starts again or runs out of memory by itself,
     * until the returned handle is closed. An environment that cannot watch its targets tells nothing.
     */
    default AutoCloseable watch(Consumer<TargetEvent> listener) {
        return () -> { };
    }

    /** Writes the logs of what the environment runs into {@code directory}, for the report. */
    default void saveLogs(Path directory) {
    }

    /**
     * Stops everything the environment started; idempotent. Safe to call from several threads: a call returns only
     * once the stop is done, whichever thread started it (a shutdown hook relies on that, or the JVM exits mid-stop).
     */
    @Override
    void close();
}
