package dev.gameday.scenarios.file;

import dev.gameday.environments.compose.ComposeEnvironment;
import dev.gameday.scenarios.EnvironmentSource;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a validated {@link ComposeSection} into the {@link EnvironmentSource} that starts it with
 * {@link ComposeEnvironment}: the one place the file format meets the Compose backend.
 *
 * <pre>{@code
 * EnvironmentSource quotes = ComposeEnvironments.source(section);   // starts nothing until the runner asks
 * }</pre>
 */
final class ComposeEnvironments {

    private ComposeEnvironments() {
    }

    /** The source that starts the Compose project; called at parse time, it starts nothing itself. */
    static EnvironmentSource source(ComposeSection compose) {
        ComposeEnvironment.Builder builder = builder(compose);
        return EnvironmentSource.of(builder.targetNames(), builder::start);
    }

    static ComposeEnvironment.Builder builder(ComposeSection compose) {
        List<Path> files = compose.files();
        ComposeEnvironment.Builder builder = ComposeEnvironment.builder(files.get(0),
                        files.subList(1, files.size()).toArray(Path[]::new))
                .entryPoint(compose.entryService(), compose.entryPort());
        compose.name().ifPresent(builder::name);
        compose.readiness().ifPresent(builder::readiness);
        compose.startupTimeout().ifPresent(builder::startupTimeout);
        for (TargetSpec target : compose.targets()) {
            if (target.proxied()) {
                builder.proxied(target.name(), target.protocol(), target.port());
            } else {
                builder.target(target.name(), target.protocol(), target.port());
            }
        }
        return builder;
    }
}
