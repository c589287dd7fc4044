package dev.gameday.scenarios.file;

import dev.gameday.environments.Environment;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.ExperimentException;

/**
 * Turns a validated {@link ComposeSection} into the {@link EnvironmentSource} that starts it. This is the one place
 * that knows {@code dev.gameday.environments.compose.ComposeEnvironment}; that class is built on another branch, so
 * in this build the source refuses to start and says why, while parsing, validation and {@code gameday check} of
 * compose files work in full. Once {@code ComposeEnvironment} is merged, {@link #source} becomes:
 *
 * <pre>{@code
 * static EnvironmentSource source(ComposeSection compose) {
 *     return () -> {
 *         List<Path> files = compose.files();
 *         ComposeEnvironment.Builder builder = ComposeEnvironment.builder(files.get(0),
 *                         files.subList(1, files.size()).toArray(Path[]::new))
 *                 .entryPoint(compose.entryService(), compose.entryPort());
 *         compose.name().ifPresent(builder::name);
 *         compose.readiness().ifPresent(builder::readiness);
 *         compose.startupTimeout().ifPresent(builder::startupTimeout);
 *         for (TargetSpec target : compose.targets()) {
 *             if (target.proxied()) {
 *                 builder.proxied(target.name(), target.protocol(), target.port());
 *             } else {
 *                 builder.target(target.name(), target.protocol(), target.port());
 *             }
 *         }
 *         return builder.start();
 *     };
 * }
 * }</pre>
 */
final class ComposeEnvironments {

    private ComposeEnvironments() {
    }

    /** The source that starts the Compose project; called at parse time, it starts nothing itself. */
    static EnvironmentSource source(ComposeSection compose) {
        return new NotInThisBuild(compose);
    }

    /** A compose environment this build cannot start: {@code ComposeEnvironment} is not part of it yet. */
    record NotInThisBuild(ComposeSection compose) implements EnvironmentSource {
        @Override
        public Environment start() {
            throw new ExperimentException("This build of Gameday cannot start Docker Compose environments yet"
                    + " (dev.gameday.environments.compose.ComposeEnvironment is not part of it); the file itself is"
                    + " valid ('gameday check' passes). Run against the demo environment, or use a build that has it.");
        }

        @Override
        public String toString() {
            return compose.toString();
        }
    }
}
