package dev.gameday.environments.containers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.internal.ContainerEvents;
import dev.gameday.environments.images.Images;
import dev.gameday.environments.internal.Containers;
import dev.gameday.environments.internal.ProxyConnectionsSidecar;
import dev.gameday.environments.internal.ProxyLayout;
import dev.gameday.environments.internal.ServiceSpec;
import dev.gameday.environments.internal.SystemDefinition;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A system under test made of containers on one private network, with Toxiproxy put in front of the services that
 * network faults target, so that nobody wires Toxiproxy by hand and the application keeps its configuration.
 *
 * <pre>{@code
 * try (ContainerSystem system = ContainerSystem.named("quotes")
 *         .service("redis", Images.REDIS).port(6379, Protocol.REDIS).waitingForLog(".*Ready to accept connections.*")
 *         .service("quotes", DockerImageName.parse("example/quotes:1")).port(8000, Protocol.HTTP)
 *                 .env("REDIS_HOST", "redis").memory(256 * ContainerSystem.MB).cpus(1.0)
 *                 .dependsOn("redis")
 *         .proxied("redis")                 // the app keeps resolving redis:6379 and finds the proxy there
 *         .entryPoint("quotes", "/health")  // load goes here (directly); started once it answers 2xx
 *         .start()) {
 *     URI api = system.entryPoint().endpoint().uri("http");
 *     NetworkLink redis = system.target("redis").link().orElseThrow();
 * }
 * }</pre>
 *
 * <p><b>Names.</b> Every service joins the network under its own name, which is also its target's name. A
 * {@linkplain Builder#proxied(String...) proxied} service's own container answers as {@code <name>-upstream} instead,
 * and a Toxiproxy container takes the name {@code <name>} and listens on the service's port: {@code redis:6379} from
 * the application lands on the proxy, which forwards to {@code redis-upstream:6379}. To wire something past the proxy on
 * purpose (a control experiment), point it at {@code <name>-upstream}. One Toxiproxy container serves all proxies; when
 * two proxied services share a port, the second gets a Toxiproxy container of its own (logged as {@code toxiproxy-2}).
 *
 * <p><b>Targets</b>: every service with a port, the entry point first, then the others in declaration order. A target's
 * endpoint is the service's own port as mapped to the host, bypassing any proxy (for a service with
 * {@link Service#restartOnFailure()}, a host port fixed when its container is created, so that it survives restarts); a proxied target's
 * {@linkplain Target#link() link} carries the Toxiproxy API, the proxy's name (the service's), the proxy's mapped port and
 * the live statistics of its open connections. When the entry point itself is proxied, the runner sends load through
 * that proxy ({@link Target#clientEndpoint()}), so that faults on it reach the load.
 *
 * <p><b>Before anything starts</b>, {@link Builder#start()} checks the whole definition (see {@link Builder}) and that
 * every image is in the local Docker engine, and starts nothing unless all is well. Then Toxiproxy starts with its
 * proxies, then the services in the order {@link Service#dependsOn} gives (services that do not depend on each other
 * start in parallel), each waiting as told, the entry point also until its readiness path answers 2xx. Every container
 * carries the labels {@code dev.gameday.environment} (the system's name) and {@code dev.gameday.run} (one id per start).
 */
public final class ContainerSystem implements Environment {

    /** A mebibyte, for memory limits: {@code memory(256 * ContainerSystem.MB)}. */
    public static final long MB = 1024L * 1024;

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(5);

    private final SystemDefinition definition;
    private final List<List<String>> waves;
    private final Network network;
    /** By service name, in declaration order. */
    private final Map<String, GenericContainer<?>> services = new LinkedHashMap<>();
    private final List<ProxyLayout.Toxiproxy> layout;
    private final List<GenericContainer<?>> toxiproxies = new ArrayList<>();
    /** Every container in start order: Toxiproxy first, then the services wave by wave. */
    private final List<GenericContainer<?>> startOrder = new ArrayList<>();
    private final List<ProxyConnectionsSidecar> sidecars = Collections.synchronizedList(new ArrayList<>());
    private volatile List<Target> targets = List.of();
    private boolean closed;

    private ContainerSystem(SystemDefinition definition, List<List<String>> waves) {
        this.definition = definition;
        this.waves = waves;
        Map<String, String> labels = Map.of("dev.gameday.environment", definition.name(),
                "dev.gameday.run", UUID.randomUUID().toString());
        this.network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withLabels(labels)).build();
        this.layout = ProxyLayout.of(definition.proxiedPorts());
        for (ProxyLayout.Toxiproxy plan : layout) {
            GenericContainer<?> toxiproxy = new GenericContainer<>(Images.TOXIPROXY)
                    .withCommand(plan.command().toArray(String[]::new))
                    .withNetwork(network).withLabels(labels)
                    .waitingFor(Wait.forHttp("/version").forPort(plan.apiPort()));
            toxiproxy.setNetworkAliases(new ArrayList<>(plan.proxies().keySet()));
            List<Integer> ports = new ArrayList<>(List.of(plan.apiPort()));
            ports.addAll(plan.proxies().values());
            toxiproxy.setExposedPorts(ports);
            toxiproxies.add(toxiproxy);
        }
        for (ServiceSpec service : definition.services().values()) {
            boolean entryPoint = service.name().equals(definition.entryPoint());
            services.put(service.name(), service.container(network, definition.alias(service.name()), labels,
                    entryPoint ? definition.readinessPath() : Optional.empty()));
        }
        startOrder.addAll(toxiproxies);
        waves.forEach(wave -> wave.forEach(name -> startOrder.add(services.get(name))));
    }

    /**
     * Starts defining a system; {@code name} labels its containers and names it in reports.
     *
     * @param name lower-case letters, digits and dashes, for example {@code quotes}
     */
    public static Builder named(String name) {
        return new Builder(new SystemDefinition(name));
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    @Override
    public Target entryPoint() {
        if (targets.isEmpty()) {
            throw new IllegalStateException("System '" + name() + "' has no targets: it is not running.");
        }
        return targets.get(0);
    }

    /** Writes {@code <service>.log} for every service that started, and {@code toxiproxy.log} (and -2, ...). */
    @Override
    public void saveLogs(Path directory) {
        Map<String, GenericContainer<?>> logs = new LinkedHashMap<>(services);
        for (int i = 0; i < toxiproxies.size(); i++) {
            logs.put(toxiproxyName(i), toxiproxies.get(i));
        }
        Containers.saveLogs(directory, logs);
    }

    /** Target containers that die, start again or run out of memory, from the Docker engine's event stream. */
    @Override
    public AutoCloseable watch(Consumer<TargetEvent> listener) {
        return ContainerEvents.watch(targets(), listener);
    }

    /**
     * Checks that every container of the system (services and Toxiproxy) is running and that the entry point's
     * readiness path, if it has one, answers 2xx within 5 s.
     *
     * <pre>{@code
     * system.checkHealthy(); // or: EnvironmentUnavailableException: System 'quotes' is not healthy: service 'redis'
     *                        //     (container 3f2a..): expected running, found exited (exit code 137, out of memory)
     * }</pre>
     *
     * @throws EnvironmentUnavailableException naming every container that is not running (with its state and exit
     *                                         code) and a readiness path that did not answer 2xx
     */
    @Override
    public void checkHealthy() {
        if (isClosed()) {
            throw new EnvironmentUnavailableException("System '" + name() + "' has been stopped (closed); start a new"
                    + " one to run more experiments.");
        }
        if (targets.isEmpty()) {
            throw new EnvironmentUnavailableException("System '" + name() + "' is not running: it has not started.");
        }
        List<String> problems = new ArrayList<>();
        everyContainer().forEach((name, container) -> notRunning(name, container).ifPresent(problems::add));
        definition.readinessPath().flatMap(path -> notReady(entryPoint().endpoint(), path)).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new EnvironmentUnavailableException("System '" + name() + "' is not healthy: "
                    + String.join("; ", problems) + ". Its containers' logs tell why (saveLogs).");
        }
    }

    /**
     * Every container of the system by what it is, in declaration order: {@code service '<name>'} for each service,
     * {@code toxiproxy} (and {@code toxiproxy-2}, ...) for the proxies. Their ids are known once started: what health
     * checks and watchers poll.
     */
    private Map<String, GenericContainer<?>> everyContainer() {
        Map<String, GenericContainer<?>> all = new LinkedHashMap<>();
        services.forEach((name, container) -> all.put("service '" + name + "'", container));
        for (int i = 0; i < toxiproxies.size(); i++) {
            all.put(toxiproxyName(i), toxiproxies.get(i));
        }
        return all;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops the sidecars that read Toxiproxy's connections, then every container in reverse start order, then removes
     * the network. Idempotent; synchronized, so a second caller (a shutdown hook on Ctrl-C) waits until the first
     * caller's stop is done.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> resources = new ArrayList<>(sidecars); // they live in Toxiproxy's network namespace
        List<GenericContainer<?>> containers = new ArrayList<>(startOrder);
        Collections.reverse(containers);
        resources.addAll(containers);
        resources.add(network);
        Containers.closeAll(resources);
    }

    private ContainerSystem startAll() {
        Containers.requireDocker();
        Map<String, GenericContainer<?>> images = new LinkedHashMap<>();
        services.forEach((name, container) -> images.put("service '" + name + "'", container));
        if (!toxiproxies.isEmpty()) {
            images.put("Toxiproxy", toxiproxies.get(0));
            Containers.requireLocalImage(Images.NETWORK_TOOLS, "scripts/build-images.sh");
        }
        Containers.requireLocalImages(images);
        try {
            if (!toxiproxies.isEmpty()) {
                Startables.deepStart(toxiproxies).join();
                for (int i = 0; i < layout.size(); i++) {
                    createProxies(toxiproxies.get(i), layout.get(i));
                    sidecars.add(ProxyConnectionsSidecar.startNextTo(toxiproxies.get(i)));
                }
            }
            for (List<String> wave : waves) {
                Startables.deepStart(wave.stream().map(services::get)).join();
            }
            targets = definition.targetNames().stream().map(this::startedTarget).toList();
            return this;
        } catch (RuntimeException e) {
            close();
            throw new EnvironmentUnavailableException("System '" + name() + "' did not start: "
                    + Containers.rootMessage(e) + ". What it had started is stopped again; Testcontainers logs the"
                    + " output of a container that fails to start.", e);
        }
    }

    private void createProxies(GenericContainer<?> toxiproxy, ProxyLayout.Toxiproxy plan) {
        ToxiproxyClient client = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getMappedPort(plan.apiPort()));
        plan.proxies().forEach((name, port) -> {
            String upstream = definition.alias(name) + ":" + port;
            try {
                client.createProxy(name, "0.0.0.0:" + port, upstream);
            } catch (IOException e) {
                throw new EnvironmentUnavailableException("Could not create the Toxiproxy proxy '" + name + "' from"
                        + " port " + port + " to " + upstream + ": " + e.getMessage(), e);
            }
        });
    }

    private Target startedTarget(String name) {
        ServiceSpec service = definition.services().get(name);
        GenericContainer<?> container = services.get(name);
        int port = service.port().orElseThrow();
        Optional<NetworkLink> link = Optional.empty();
        for (int i = 0; i < layout.size(); i++) {
            ProxyLayout.Toxiproxy plan = layout.get(i);
            if (plan.proxies().containsKey(name)) {
                GenericContainer<?> toxiproxy = toxiproxies.get(i);
                link = Optional.of(new NetworkLink(endpoint(toxiproxy, plan.apiPort()), name, endpoint(toxiproxy, port),
                        Optional.of(sidecars.get(i).connectionsOn(port))));
            }
        }
        return new Target(name, service.protocol(), endpoint(container, port), link,
                Optional.of(container.getContainerId()));
    }

    private static Endpoint endpoint(GenericContainer<?> container, int port) {
        return new Endpoint(container.getHost(), container.getMappedPort(port));
    }

    private static String toxiproxyName(int index) {
        return index == 0 ? SystemDefinition.TOXIPROXY : SystemDefinition.TOXIPROXY + "-" + (index + 1);
    }

    /** Why a container is not running, if it is not. */
    private static Optional<String> notRunning(String what, GenericContainer<?> container) {
        String id = container.getContainerId();
        if (id == null) {
            return Optional.of(what + ": expected running, found never started");
        }
        String subject = what + " (container " + id.substring(0, Math.min(12, id.length())) + ")";
        try {
            InspectContainerResponse.ContainerState state = DockerClientFactory.instance().client()
                    .inspectContainerCmd(id).exec().getState();
            if (Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getPaused())) {
                return Optional.empty();
            }
            return Optional.of(subject + ": expected running, found " + state.getStatus() + " (exit code "
                    + state.getExitCodeLong() + (Boolean.TRUE.equals(state.getOOMKilled())
                    ? ", killed for exceeding its memory limit" : "") + ")");
        } catch (NotFoundException e) {
            return Optional.of(subject + ": expected running, found removed");
        } catch (RuntimeException e) {
            return Optional.of(subject + ": could not be inspected: " + Containers.rootMessage(e));
        }
    }

    /** Why the readiness path does not answer 2xx, if it does not. */
    private static Optional<String> notReady(Endpoint endpoint, String path) {
        URI uri = endpoint.uri("http").resolve(path);
        HttpClient http = HttpClient.newBuilder().connectTimeout(HEALTH_TIMEOUT).build();
        try {
            int status = http.send(HttpRequest.newBuilder(uri).timeout(HEALTH_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300 ? Optional.empty()
                    : Optional.of("entry point readiness GET " + uri + ": expected 2xx, found " + status);
        } catch (IOException e) {
            return Optional.of("entry point readiness GET " + uri + ": expected 2xx within " + HEALTH_TIMEOUT.toSeconds()
                    + " s, found no answer (" + Containers.rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("entry point readiness GET " + uri + ": interrupted");
        }
    }

    /**
     * Defines a {@link ContainerSystem}: its services, which of them are proxied, and its entry point. Checks what it
     * can as it is told (names, ranges), and everything else in {@link #start()} before anything starts.
     *
     * <pre>{@code
     * ContainerSystem.Builder builder = ContainerSystem.named("quotes")
     *         .service("redis", Images.REDIS).port(6379, Protocol.REDIS)
     *         .service("quotes", DockerImageName.parse("example/quotes:1")).port(8000, Protocol.HTTP).dependsOn("redis")
     *         .proxied("redis")
     *         .entryPoint("quotes", "/health");
     * builder.targetNames(); // [quotes, redis]
     * }</pre>
     *
     * <p>{@link #service} returns the {@link Service} just declared, whose settings follow it; any builder method ends
     * that service's settings and goes on with the system.
     */
    public static class Builder {

        final SystemDefinition definition;

        Builder(SystemDefinition definition) {
            this.definition = definition;
        }

        /**
         * Declares a service run from {@code image}, which must be in the local Docker engine (nothing is pulled; see
         * {@link #start()}).
         *
         * @param name the service's host name on the network and its target's name: lower-case letters, digits and
         *             dashes ({@code [a-z0-9][a-z0-9-]*}), not {@code toxiproxy}
         */
        public Service service(String name, DockerImageName image) {
            return new Service(definition, definition.add(name, image));
        }

        /**
         * Declares a service given as a container configured but not started, for containers with their own logic,
         * such as Testcontainers' {@code PostgreSQLContainer} (which knows its JDBC URL and waits for the database).
         * The system sets its network, its network alias and its labels, and starts and stops it; it keeps its own
         * wait strategy unless told another. Keep the reference to ask it what it knows once started.
         *
         * <pre>{@code
         * PostgreSQLContainer postgres = new PostgreSQLContainer(Images.POSTGRES);
         * ContainerSystem system = ContainerSystem.named("shop")
         *         .service("postgres", postgres).port(5432, Protocol.POSTGRES)
         *         ...;
         * String jdbcUrl = postgres.getJdbcUrl(); // once started
         * }</pre>
         */
        public Service service(String name, GenericContainer<?> container) {
            return new Service(definition, definition.add(name, container));
        }

        /**
         * Puts Toxiproxy in front of these services: each keeps its name and port on the network, and the name now
         * reaches a proxy, so network faults need no change in the application. The services must have a port.
         */
        public Builder proxied(String... names) {
            for (String name : names) {
                definition.proxy(name);
            }
            return this;
        }

        /** Where load goes, started once it listens; for an entry point without an HTTP readiness path. */
        public Builder entryPoint(String name) {
            definition.entryPoint(name, Optional.empty());
            return this;
        }

        /**
         * Where load goes, which must speak HTTP: the system counts as started once {@code readinessPath} answers 2xx
         * (within the service's startup timeout), and {@link ContainerSystem#checkHealthy()} asks it again.
         *
         * @param readinessPath an absolute path, for example {@code /health/ready}
         */
        public Builder entryPoint(String name, String readinessPath) {
            definition.entryPoint(name, Optional.of(Objects.requireNonNull(readinessPath, "readinessPath")));
            return this;
        }

        /** The target names the started system will hand out: the entry point first, then the others as declared. */
        public List<String> targetNames() {
            return definition.targetNames();
        }

        /**
         * Checks the definition and the images, then starts the system and waits until it is ready. Nothing starts
         * unless every check passes: names used in {@code dependsOn}, {@code proxied} and {@code entryPoint} are
         * declared; proxied services and the entry point have a port; {@code dependsOn} has no cycle; every image is
         * in the local Docker engine. Start a builder once.
         *
         * @throws IllegalArgumentException        when the definition is wrong, listing every problem
         * @throws EnvironmentUnavailableException when Docker or an image is missing, or a container did not start;
         *                                         what was started is stopped again; the message says what to do
         */
        public ContainerSystem start() {
            List<List<String>> waves = definition.check();
            definition.markStarted();
            return new ContainerSystem(definition, waves).startAll();
        }
    }

    /**
     * One service of a {@link ContainerSystem} being defined: its settings follow {@link Builder#service}, and any
     * {@link Builder} method goes on with the system.
     *
     * <pre>{@code
     * ContainerSystem.named("quotes")
     *         .service("quotes", DockerImageName.parse("example/quotes:1"))
     *                 .port(8000, Protocol.HTTP)
     *                 .env("REDIS_HOST", "redis")
     *                 .memory(256 * ContainerSystem.MB).cpus(1.0)
     *                 .file(MountableFile.forClasspathResource("quotes/seed.json"), "/data/seed.json")
     *                 .command("--port", "8000")
     *                 .waitingForHttp("/health")
     *                 .startupTimeout(Duration.ofSeconds(90))
     *                 .dependsOn("redis")
     *         .service("redis", Images.REDIS).port(6379, Protocol.REDIS)
     *         ...
     * }</pre>
     */
    public static final class Service extends Builder {

        private final ServiceSpec spec;

        private Service(SystemDefinition definition, ServiceSpec spec) {
            super(definition);
            this.spec = spec;
        }

        /**
         * The service's port inside the container, and what it speaks: it becomes a target reached at this port mapped
         * to the host, and a proxied service's proxy listens on it. One port per service; a service without one runs
         * but is no target.
         */
        public Service port(int port, Protocol protocol) {
            spec.port(port, protocol);
            return this;
        }

        /** Sets an environment variable in the container. */
        public Service env(String variable, String value) {
            spec.env(variable, value);
            return this;
        }

        /** Limits the container's memory, swap included (no swap), like a pod's limit: {@code memory(256 * MB)}. */
        public Service memory(long bytes) {
            spec.memory(bytes);
            return this;
        }

        /** Limits the container to this many CPUs, for example 1.0 or 0.5. */
        public Service cpus(double limit) {
            spec.cpus(limit);
            return this;
        }

        /**
         * Copies a file or directory into the container before it starts, for example
         * {@code file(MountableFile.forClasspathResource("exchange/mappings/"), "/home/wiremock/mappings/")}.
         */
        public Service file(MountableFile source, String containerPath) {
            spec.file(source, containerPath);
            return this;
        }

        /** Replaces the image's command (its arguments to the entry point). */
        public Service command(String... command) {
            spec.command(command);
            return this;
        }

        /**
         * Docker restarts the container whenever its main process ends with a non-zero code (a crash, a kill, an OOM
         * kill), without limit; what {@code DockerFaults.kill} and {@code oomKill} need. The target keeps its address
         * through restarts: its host port is chosen once, when the container is created, instead of Docker's
         * ephemeral ports, which a restart would change; a proxied service's proxy resolves its name anew for every
         * connection.
         *
         * <pre>{@code
         * .service("redis", Images.REDIS).port(6379, Protocol.REDIS).restartOnFailure()
         * }</pre>
         */
        public Service restartOnFailure() {
            spec.restartOnFailure(0);
            return this;
        }

        /** Like {@link #restartOnFailure()}, but at most {@code maxRetries} restarts (Docker's {@code on-failure:N}). */
        public Service restartOnFailure(int maxRetries) {
            spec.restartOnFailure(maxRetries);
            return this;
        }

        /** Starts this service only once these services have started and are ready. */
        public Service dependsOn(String... names) {
            spec.dependsOn(names);
            return this;
        }

        /**
         * Counts the service as started once a line of its output matches {@code regex} (the whole line, so put
         * {@code .*} around a fragment). Without any waitingFor, a service with a port waits until the port listens.
         */
        public Service waitingForLog(String regex) {
            spec.waitingForLog(regex);
            return this;
        }

        /** Counts the service as started once {@code GET path} on its port answers 2xx. */
        public Service waitingForHttp(String path) {
            spec.waitingForHttp(path);
            return this;
        }

        /** How long the service may take to start and pass its waits (default 60 s). */
        public Service startupTimeout(Duration timeout) {
            spec.startupTimeout(timeout);
            return this;
        }
    }
}
