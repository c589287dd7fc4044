package dev.gameday.scenarios.file;

import dev.gameday.demo.Flaw;
import dev.gameday.environments.Environment;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.scenarios.EnvironmentSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bundled demo trading system with the file's flaws, started only when the runner asks.
 *
 * <pre>{@code
 * EnvironmentSource demo = new DemoEnvironment(Set.of(Flaw.NO_REDIS_TIMEOUT));
 * }</pre>
 */
record DemoEnvironment(Set<Flaw> flaws) implements EnvironmentSource {

    /**
     * The demo system's targets as {@link DemoTradingSystem} hands them out, known before it starts: the entry point
     * {@code api} is reached directly, its three dependencies through Toxiproxy.
     */
    static final Map<String, TargetSpec> TARGETS = targets();

    DemoEnvironment {
        flaws = flaws.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flaws));
    }

    @Override
    public Environment start() {
        return DemoTradingSystem.builder().withFlaws(flaws).start();
    }

    /** {@link DemoTradingSystem#TARGETS}: an experiment checks its fault's target against them when it is built. */
    @Override
    public Optional<List<String>> targetNames() {
        return Optional.of(DemoTradingSystem.TARGETS);
    }

    @Override
    public String toString() {
        return DemoTradingSystem.NAME + (flaws.isEmpty() ? "" : " with flaws "
                + flaws.stream().map(Flaw::id).sorted().toList());
    }

    private static Map<String, TargetSpec> targets() {
        Map<String, TargetSpec> targets = new LinkedHashMap<>();
        targets.put("api", new TargetSpec("api", Protocol.HTTP, 8080, false));
        targets.put("redis", new TargetSpec("redis", Protocol.REDIS, 6379, true));
        targets.put("postgres", new TargetSpec("postgres", Protocol.POSTGRES, 5432, true));
        targets.put("exchange", new TargetSpec("exchange", Protocol.HTTP, 8080, true));
        return java.util.Collections.unmodifiableMap(targets);
    }
}
