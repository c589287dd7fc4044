package dev.gameday.scenarios;

import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Target;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The environment source {@link EnvironmentSource#of(List, Supplier)} returns: it declares its targets before it
 * starts, and checks once started that the environment has them.
 */
record DeclaredEnvironmentSource(List<String> targets, Optional<List<Target>> declared,
                                 Supplier<? extends Environment> starter) implements EnvironmentSource {

    DeclaredEnvironmentSource {
        targets = List.copyOf(targets);
        declared = declared.map(List::copyOf);
        Objects.requireNonNull(starter, "starter");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("Environment source: declare at least one target, the entry point"
                    + " first, for example List.of(\"api\", \"redis\").");
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw new IllegalArgumentException("Environment source: target names must be unique, but were " + targets
                    + ".");
        }
    }

    @Override
    public Environment start() {
        Environment environment = Objects.requireNonNull(starter.get(), "the started environment");
        List<String> actual = environment.targets().stream().map(Target::name).toList();
        if (!actual.containsAll(targets)) {
            environment.close();
            throw new EnvironmentUnavailableException("Environment '" + environment.name() + "' was declared with"
                    + " targets " + targets + " but started with " + actual + "; it has been stopped. Make the"
                    + " declaration match the environment.");
        }
        return environment;
    }

    @Override
    public Optional<Environment> standIns() {
        return declared.map(StandInEnvironment::new);
    }

    /** The declared targets as an environment nothing runs in: faults are built on it, never injected. */
    private record StandInEnvironment(List<Target> targets) implements Environment {
        @Override
        public String name() {
            return "stand-ins for " + targets.stream().map(Target::name).toList();
        }

        @Override
        public Target entryPoint() {
            return targets.get(0);
        }

        @Override
        public void close() {
        }
    }

    @Override
    public Optional<List<String>> targetNames() {
        return Optional.of(targets);
    }

    @Override
    public String toString() {
        return "environment with targets " + targets;
    }
}
