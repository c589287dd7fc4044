package dev.gameday.scenarios;

import dev.gameday.environments.Environment;
import dev.gameday.environments.Target;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts the environment an experiment runs against; the runner closes it afterwards.
 *
 * <p>A source that declares its targets lets an {@link Experiment} check, when it is built, that its fault names one
 * of them, before any container starts:
 * <pre>{@code
 * EnvironmentSource demo = EnvironmentSource.of(DemoTradingSystem.TARGETS, () -> DemoTradingSystem.builder().start());
 * }</pre>
 * A lambda works too; its targets are then known only once it runs:
 * <pre>{@code
 * EnvironmentSource demo = () -> DemoTradingSystem.builder().start();
 * }</pre>
 */
@FunctionalInterface
public interface EnvironmentSource {

    /** Starts the environment; the caller closes it. */
    Environment start();

    /** The names of the targets the environment will have, when they are known before it starts; empty for a lambda. */
    default Optional<List<String>> targetNames() {
        return Optional.empty();
    }

    /**
     * Stand-ins for its targets, when it declares them before it starts: the same names, protocols, proxies,
     * containers and credentials as the real targets will have, at addresses nothing connects to. An experiment builds
     * its faults on them when it is defined, so a fault the target cannot take is refused before anything starts.
     */
    default Optional<Environment> standIns() {
        return Optional.empty();
    }

    /**
     * A source whose environment will have targets like these stand-ins (see {@link #standIns()}); once started, it
     * is checked to have them all.
     *
     * <pre>{@code
     * EnvironmentSource demo = EnvironmentSource.of(DemoTradingSystem.standIns(), () -> DemoTradingSystem.builder().start());
     * }</pre>
     */
    static EnvironmentSource declaring(List<Target> standIns, Supplier<? extends Environment> start) {
        return new DeclaredEnvironmentSource(standIns.stream().map(Target::name).toList(), Optional.of(standIns), start);
    }

    /**
     * A source whose environment has these targets. Once started, the environment is checked to have them all: a
     * declaration that no longer matches is found at the first start, not trusted silently.
     *
     * @param targetNames the names of its targets, for example {@code DemoTradingSystem.TARGETS}
     * @param start       starts the environment
     */
    static EnvironmentSource of(List<String> targetNames, Supplier<? extends Environment> start) {
        return new DeclaredEnvironmentSource(targetNames, Optional.empty(), start);
    }
}
