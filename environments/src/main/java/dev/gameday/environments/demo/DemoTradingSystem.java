package dev.gameday.environments.demo;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.containers.ContainerEvents;
import dev.gameday.environments.containers.Containers;
import dev.gameday.environments.containers.ProxyConnectionsSidecar;
import dev.gameday.environments.images.Images;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.MountableFile;

/**
 * The bundled system under test, in containers: the demo order service in front of PostgreSQL, Redis and an
 * exchange simulator (WireMock), each dependency reached through Toxiproxy so that network faults need no change
 * in the service.
 *
 * <pre>{@code
 * try (DemoTradingSystem system = DemoTradingSystem.builder().withFlaws(Flaw.NO_REDIS_TIMEOUT).start()) {
 *     URI api = system.entryPoint().endpoint().uri("http");
 * }
 * }</pre>
 *
 * <p>Targets: {@code api} (the order service, where load goes), {@code redis}, {@code postgres} and
 * {@code exchange} (each with its Toxiproxy link, whose {@linkplain NetworkLink#connections() connections} are read
 * live by a {@link ProxyConnectionsSidecar} next to Toxiproxy).
 */
public final class DemoTradingSystem implements Environment {

    public static final String NAME = "demo-trading-system";
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

    private static final int APP_PORT = 8080;
    private static final int REDIS_PORT = 6379;
    private static final int POSTGRES_PORT = 5432;
    private static final int EXCHANGE_PORT = 8080;
    private static final int TOXIPROXY_API_PORT = 8474;
    private static final Map<String, Integer> PROXY_PORTS = Map.of("redis", 8666, "postgres", 8667, "exchange", 8668);

    private final Set<Flaw> flaws;
    private final Network network;
    private final GenericContainer<?> redis;
    private final PostgreSQLContainer postgres;
    private final GenericContainer<?> exchange;
    private final ToxiproxyContainer toxiproxy;
    private final GenericContainer<?> app;
    private volatile ProxyConnectionsSidecar connections;
    private volatile List<Target> targets = List.of();
    private boolean closed;

    private DemoTradingSystem(Builder builder) {
        this.flaws = Set.copyOf(builder.flaws);
        String run = UUID.randomUUID().toString();
        Map<String, String> labels = Map.of("dev.gameday.environment", NAME, "dev.gameday.run", run);
        this.network = Network.newNetwork();
        this.redis = new GenericContainer<>(Images.REDIS)
                .withNetwork(network).withNetworkAliases("redis").withLabels(labels)
                .withExposedPorts(REDIS_PORT)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        this.postgres = new PostgreSQLContainer(Images.POSTGRES)
                .withDatabaseName(DATABASE).withUsername(DATABASE_USER).withPassword(DATABASE_PASSWORD);
        postgres.withNetwork(network).withNetworkAliases("postgres").withLabels(labels);
        this.exchange = new GenericContainer<>(Images.WIREMOCK)
                .withNetwork(network).withNetworkAliases("exchange").withLabels(labels)
                .withExposedPorts(EXCHANGE_PORT)
                .withCopyFileToContainer(MountableFile.forClasspathResource("dev/gameday/environments/demo/exchange/mappings/"),
                        "/home/wiremock/mappings/")
                .withCommand("--disable-banner", "--no-request-journal", "--async-response-enabled=true")
                .withEnv("JAVA_OPTS", EXCHANGE_JVM)
                .waitingFor(Wait.forHttp("/__admin/health").forStatusCode(200));
        // -proxy-metrics: Toxiproxy then counts the bytes through each proxy, so a fault can show it met traffic.
        this.toxiproxy = new ToxiproxyContainer(Images.TOXIPROXY);
        toxiproxy.withCommand("-host=0.0.0.0", "-proxy-metrics");
        toxiproxy.withNetwork(network).withNetworkAliases("toxiproxy").withLabels(labels);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_HOST", "toxiproxy");
        env.put("REDIS_PORT", String.valueOf(PROXY_PORTS.get("redis")));
        env.put("DATABASE_URL", "jdbc:postgresql://toxiproxy:" + PROXY_PORTS.get("postgres") + "/" + DATABASE);
        env.put("DATABASE_USER", DATABASE_USER);
        env.put("DATABASE_PASSWORD", DATABASE_PASSWORD);
        env.put("EXCHANGE_URL", "http://toxiproxy:" + PROXY_PORTS.get("exchange"));
        env.put("DEMO_FLAWS", flaws.stream().map(Flaw::configName).sorted().collect(Collectors.joining(",")));
        env.putAll(builder.settings);
        this.app = new GenericContainer<>(Images.DEMO_TRADING_SYSTEM)
                .withNetwork(network).withNetworkAliases("api").withLabels(labels)
                .withExposedPorts(APP_PORT)
                .withEnv(env)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withMemory(APP_MEMORY_BYTES).withMemorySwap(APP_MEMORY_BYTES)
                        .withNanoCPUs(Math.round(builder.cpus * 1e9)))
                .waitingFor(Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(STARTUP_TIMEOUT));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return flaws.isEmpty() ? NAME : NAME + " (flaws: " + flaws.stream().map(Flaw::configName).sorted()
                .collect(Collectors.joining(", ")) + ")";
    }

    public Set<Flaw> flaws() {
        return flaws;
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public Target entryPoint() {
        return targets.get(0);
    }

    /** JDBC URL of the orders database as the harness reaches it directly, bypassing Toxiproxy. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public AutoCloseable watch(Consumer<TargetEvent> listener) {
        return ContainerEvents.watch(targets(), listener);
    }

    @Override
    public void saveLogs(Path directory) {
        Containers.saveLogs(directory, Map.of("api", app, "redis", redis, "postgres", postgres,
                "exchange", exchange, "toxiproxy", toxiproxy));
    }

    /** Synchronized: a second caller (a shutdown hook on Ctrl-C) waits until the first caller's stop is done. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> started = new ArrayList<>();
        if (connections != null) {
            started.add(connections); // reads Toxiproxy's network namespace: it goes first
        }
        started.addAll(List.of(app, toxiproxy, exchange, postgres, redis, network));
        Containers.closeAll(started);
    }

    private DemoTradingSystem startContainers() {
        Containers.requireDocker();
        Containers.requireLocalImage(Images.DEMO_TRADING_SYSTEM, "scripts/build-images.sh");
        Containers.requireLocalImage(Images.NETWORK_TOOLS, "scripts/build-images.sh");
        try {
            Startables.deepStart(Stream.of(redis, postgres, exchange, toxiproxy)).join();
            ToxiproxyClient client = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getMappedPort(TOXIPROXY_API_PORT));
            createProxy(client, "redis", "redis:" + REDIS_PORT);
            createProxy(client, "postgres", "postgres:" + POSTGRES_PORT);
            createProxy(client, "exchange", "exchange:" + EXCHANGE_PORT);
            connections = ProxyConnectionsSidecar.startNextTo(toxiproxy);
            app.start();
            targets = List.of(
                    new Target("api", Protocol.HTTP, endpoint(app, APP_PORT), Optional.empty(), Optional.of(app.getContainerId())),
                    dependency("redis", Protocol.REDIS, redis, REDIS_PORT),
                    dependency("postgres", Protocol.POSTGRES, postgres, POSTGRES_PORT),
                    dependency("exchange", Protocol.HTTP, exchange, EXCHANGE_PORT));
            return this;
        } catch (RuntimeException e) {
            close();
            throw new EnvironmentUnavailableException("The demo trading system did not start: " + Containers.rootMessage(e)
                    + ". The containers' logs are above; if an image is missing, run scripts/build-images.sh.", e);
        }
    }

    private void createProxy(ToxiproxyClient client, String name, String upstream) {
        try {
            client.createProxy(name, "0.0.0.0:" + PROXY_PORTS.get(name), upstream);
        } catch (IOException e) {
            throw new EnvironmentUnavailableException("Could not create the Toxiproxy proxy '" + name + "' to " + upstream
                    + ": " + e.getMessage(), e);
        }
    }

    private Target dependency(String name, Protocol protocol, GenericContainer<?> container, int port) {
        NetworkLink link = new NetworkLink(endpoint(toxiproxy, TOXIPROXY_API_PORT), name,
                endpoint(toxiproxy, PROXY_PORTS.get(name)), Optional.of(connections.connectionsOn(PROXY_PORTS.get(name))));
        return new Target(name, protocol, endpoint(container, port), Optional.of(link),
                Optional.of(container.getContainerId()));
    }

    private static Endpoint endpoint(GenericContainer<?> container, int port) {
        return new Endpoint(container.getHost(), container.getMappedPort(port));
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
            return new DemoTradingSystem(this).startContainers();
        }
    }
}
