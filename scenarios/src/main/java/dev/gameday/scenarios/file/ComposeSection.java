package dev.gameday.scenarios.file;

import dev.gameday.environments.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A file's {@code environment.compose} section, validated: the Compose files (absolute, existing; later ones
 * override earlier ones), the project name, the entry point, the readiness path, the startup timeout and the
 * declared targets. It maps one to one onto {@code ComposeEnvironment.builder(..)}; see {@link ComposeEnvironments}.
 *
 * <pre>{@code
 * ComposeSection quotes = new ComposeSection(List.of(Path.of("/srv/quotes/docker-compose.yml")), Optional.of("quotes"),
 *         "quotes", 8000, Optional.of("/health"), Optional.empty(),
 *         List.of(new TargetSpec("redis", Protocol.REDIS, 6379, true)));
 * }</pre>
 */
record ComposeSection(List<Path> files, Optional<String> name, String entryService, int entryPort,
                      Optional<String> readiness, Optional<Duration> startupTimeout, List<TargetSpec> targets) {

    ComposeSection {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a compose environment needs at least one file");
        }
        Objects.requireNonNull(entryService, "entryService");
        targets = List.copyOf(targets);
    }

    /** The entry point first, then the declared targets, by name: what the environment will hand out. */
    Map<String, TargetSpec> allTargets() {
        Map<String, TargetSpec> all = new LinkedHashMap<>();
        all.put(entryService, new TargetSpec(entryService, Protocol.HTTP, entryPort, false));
        targets.forEach(t -> all.put(t.name(), t));
        return all;
    }

    @Override
    public String toString() {
        return "compose " + files.stream().map(p -> p.getFileName().toString()).toList()
                + name.map(n -> " as '" + n + "'").orElse("") + ", entry point " + entryService + ":" + entryPort;
    }
}
