package dev.gameday.environments.demo;

import dev.gameday.demo.Flaw;
import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.containers.ContainerSystem;
import dev.gameday.environments.images.Images;
import dev.gameday.environments.internal.ProxyConnectionsSidecar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The bundled system under test, in containers: the demo order service in front of PostgreSQL, Redis and an
 * exchange simulator (WireMock), each dependency reached through Toxiproxy so that network faults need no change
 * in the service. It is a {@link ContainerSystem}: the service keeps its ordinary configuration ({@code redis:6379},
 * {@code postgres:5432}, {@code exchange:8080}) and finds the proxies there.
 *
 * <pre>{@code
 * try (DemoTradingSystem system = DemoTradingSystem.builder().withFlaws(Flaw.NO_REDIS_TIMEOUT).start()) {
 *     URI api = system.entryPoint().endpoint().uri("http");
 * }
 * }</pre>
 *
 * <p>Targets: {@code api} (the order service, where load goes), {@code redis}, {@code postgres} and
 * {@code exchange} (each with its Toxiproxy link, whose {@linkplain NetworkLink#connections() connections} are read
 * live by a {@link ProxyConnectionsSidecar} next to Toxiproxy). To wire the service past a proxy on purpose, point it
 * at the dependency's own container, for example {@code withSetting("REDIS_HOST", "redis-upstream")}.
 */
public final class DemoTradingSystem implements Environment {

    public static final String NAME = "demo-trading-system";
    /**
     * The names of its {@linkplain #targets() targets}, the entry point first: known before it starts, so that an
     * experiment can check the target of its fault without starting it.
     */
    public static final List<String> TARGETS = standIns().stream().map(Target::name).toList();
    public static final String DATABASE = "trading";
    public static final String DATABASE_USER = "trading";
    public static final String DATABASE_PASSWORD = "trading";
    /** The service's container gets this much memory, like a pod's limit. */
    public static final long APP_MEMORY_BYTES = 768L * 1024 * 1024;
    /**
     * The service's container gets this many CPUs unless told otherwise, like a pod's limit. It also keeps the system
     * under test from starving the load generator on a small machine: when a flawed service works off a backlog, the
     * injector must still send on time, or the run cannot judge anything.
     */
    public static final double DEFAULT_APP_CPUS = 1.0;
    /** JVM start, schema creation and dependency checks take a few seconds on a loaded machine; allow for more. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    /**
     * The exchange simulator is a test double, not the system under test: a quick-to-warm JVM (C1 only, one compiler
     * thread, serial GC) leaves the shared CPU to the service and the load generator.
     */
    static final String EXCHANGE_JVM = "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xmx192m";

    private final Set<Flaw> flaws;
    private final PostgreSQLContainer postgres;
    private final ContainerSystem system;

    private DemoTradingSystem(Builder builder) {
        this.flaws = Set.copyOf(builder.flaws);
        this.postgres = new PostgreSQLContainer(Images.POSTGRES)
                .withDatabaseName(DATABASE).withUsername(DATABASE_USER).withPassword(DATABASE_PASSWORD);
        ContainerSystem.Service api = ContainerSystem.named(NAME)
                .service("api", Images.DEMO_TRADING_SYSTEM).port(8080, Protocol.HTTP)
                        .env("REDIS_HOST", "redis").env("REDIS_PORT", "6379")
                        .env("DATABASE_URL", "jdbc:postgresql://postgres:5432/" + DATABASE)
                        .env("DATABASE_USER", DATABASE_USER).env("DATABASE_PASSWORD", DATABASE_PASSWORD)
                        .env("EXCHANGE_URL", "http://exchange:8080")
                        .env("DEMO_FLAWS", flaws.stream().map(Flaw::id).sorted().collect(Collectors.joining(",")))
                        .memory(APP_MEMORY_BYTES).cpus(builder.cpus).startupTimeout(STARTUP_TIMEOUT)
                        // like a pod's restartPolicy: a crash, a kill or an OOM kill brings it back, at its address
                        .restartOnFailure()
                        .dependsOn("redis", "postgres", "exchange");
        builder.settings.forEach(api::env); // after the defaults, which they override
        this.system = api
                .service("redis", Images.REDIS).port(6379, Protocol.REDIS)
                        .waitingForLog(".*Ready to accept connections.*")
                .service("postgres", postgres).port(5432, Protocol.POSTGRES)
                .service("exchange", Images.WIREMOCK).port(8080, Protocol.HTTP)
                        .file(MountableFile.forClasspathResource("dev/gameday/environments/demo/exchange/mappings/"),
                                "/home/wiremock/mappings/")
                        .command("--disable-banner", "--no-request-journal", "--async-response-enabled=true")
                        .env("JAVA_OPTS", EXCHANGE_JVM)
                        .waitingForHttp("/__admin/health")
                .proxied("redis", "postgres", "exchange")
                .entryPoint("api", "/health/ready")
                .start();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return flaws.isEmpty() ? NAME : NAME + " (flaws: " + flaws.stream().map(Flaw::id).sorted()
                .collect(Collectors.joining(", ")) + ")";
    }

    public Set<Flaw> flaws() {
        return flaws;
    }

    /**
     * Its targets as the system hands them out: PostgreSQL with the service's credentials (for faults in its own
     * protocol), the exchange declared a WireMock simulator (for faults through its admin API).
     */
    @Override
    public List<Target> targets() {
        return system.targets().stream().map(DemoTradingSystem::typed).toList();
    }

    @Override
    public Target entryPoint() {
        return typed(system.entryPoint());
    }

    /**
     * Stand-ins for its targets, known before it starts: the same names, protocols, proxies, containers and
     * credentials, at addresses nothing connects to. An experiment builds its faults on them when it is defined, so
     * that a fault a target cannot take is refused before any container starts.
     *
     * <pre>{@code
     * EnvironmentSource demo = EnvironmentSource.declaring(DemoTradingSystem.standIns(),
     *         () -> DemoTradingSystem.builder().start());
     * }</pre>
     */
    public static List<Target> standIns() {
        Endpoint nowhere = new Endpoint("stand-in.invalid", 1);
        Optional<String> container = Optional.of("stand-in");
        return List.of(
                new Target("api", Protocol.HTTP, nowhere, Optional.empty(), container),
                typed(new Target("redis", Protocol.REDIS, nowhere, Optional.of(new NetworkLink(nowhere, "redis", nowhere)),
                        container)),
                typed(new Target("postgres", Protocol.POSTGRES, nowhere,
                        Optional.of(new NetworkLink(nowhere, "postgres", nowhere)), container)),
                typed(new Target("exchange", Protocol.HTTP, nowhere,
                        Optional.of(new NetworkLink(nowhere, "exchange", nowhere)), container)));
    }

    private static Target typed(Target target) {
        return switch (target.name()) {
            case "postgres" -> target.withCredentials(new Credentials(DATABASE_USER, DATABASE_PASSWORD, DATABASE));
            case "exchange" -> target.asHttpSimulator();
            default -> target;
        };
    }

    /** JDBC URL of the orders database as the harness reaches it directly, bypassing Toxiproxy. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    /** Its containers' deaths, restarts and OOM kills; see {@link ContainerSystem#watch(Consumer)}. */
    @Override
    public AutoCloseable watch(Consumer<TargetEvent> listener) {
        return system.watch(listener);
    }

    /** Every container runs and the service reports ready; see {@link ContainerSystem#checkHealthy()}. */
    @Override
    public void checkHealthy() {
        system.checkHealthy();
    }

    @Override
    public void saveLogs(Path directory) {
        system.saveLogs(directory);
    }

    /** Stops everything; idempotent, and a second caller (a shutdown hook on Ctrl-C) waits for the first's stop. */
    @Override
    public void close() {
        system.close();
    }

    /** Configures and starts a {@link DemoTradingSystem}. */
    public static final class Builder {
        private final Set<Flaw> flaws = EnumSet.noneOf(Flaw.class);
        private final Map<String, String> settings = new LinkedHashMap<>();
        private double cpus = DEFAULT_APP_CPUS;

        private Builder() {
        }

        /** Limits the service's container to this many CPUs (default 1.0). */
        public Builder withCpus(double limit) {
            if (!(limit >= 0.1 && limit <= Runtime.getRuntime().availableProcessors())) {
                throw new IllegalArgumentException("Demo trading system: CPU limit must be between 0.1 and the "
                        + Runtime.getRuntime().availableProcessors() + " CPUs of this machine, but was " + limit + ".");
            }
            this.cpus = limit;
            return this;
        }

        /** Starts the service with these deliberate bugs switched on. */
        public Builder withFlaws(Flaw... flaws) {
            this.flaws.addAll(List.of(flaws));
            return this;
        }

        /** Starts the service with these deliberate bugs switched on. */
        public Builder withFlaws(Set<Flaw> flaws) {
            this.flaws.addAll(flaws);
            return this;
        }

        /**
         * Overrides one of the service's settings, for example {@code withSetting("EXCHANGE_BREAKER_OPEN_DURATION", "5s")}.
         * See the demo system's README for the list.
         */
        public Builder withSetting(String variable, String value) {
            if (!variable.matches("[A-Z][A-Z0-9_]*")) {
                throw new IllegalArgumentException("Demo trading system setting: name must be an upper-case environment"
                        + " variable such as EXCHANGE_TIMEOUT, but was '" + variable + "'.");
            }
            if (variable.equals("DEMO_FLAWS")) {
                throw new IllegalArgumentException("Demo trading system setting: switch flaws on with withFlaws(Flaw...),"
                        + " not with DEMO_FLAWS.");
            }
            settings.put(variable, value);
            return this;
        }

        /**
         * Starts every container, creates the proxies and waits until the service reports ready.
         *
         * @throws EnvironmentUnavailableException when Docker, an image or a container is missing; the message says
         *                                         what to do
         */
        public DemoTradingSystem start() {
            return new DemoTradingSystem(this);
        }
    }
}
