package dev.gameday.environments.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.compose.ComposeModel.Declaration;
import dev.gameday.environments.compose.ComposeModel.Role;
import dev.gameday.environments.compose.DockerCli.Result;
import dev.gameday.environments.internal.ContainerEvents;
import dev.gameday.environments.internal.Containers;
import dev.gameday.environments.internal.ProxyConnectionsSidecar;
import dev.gameday.environments.images.Images;
import dev.gameday.environments.images.LocalImageSubstitutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * A system under test described by the user's own {@code docker-compose.yml}, run with Docker Compose v2, with a
 * Toxiproxy slipped in front of each dependency declared {@linkplain Builder#proxied proxied}, without any change to
 * the user's files.
 *
 * <pre>{@code
 * try (ComposeEnvironment system = ComposeEnvironment.builder(Path.of("docker-compose.yml"))
 *         .entryPoint("quotes", 8000)                 // load goes here (HTTP)
 *         .proxied("redis", Protocol.REDIS, 6379)     // network faults go here
 *         .readiness("/health")
 *         .start()) {
 *     URI api = system.entryPoint().endpoint().uri("http");
 *     NetworkLink redis = system.target("redis").link().orElseThrow();
 * }
 * }</pre>
 *
 * <p><b>How it works.</b> Before anything starts, {@code docker compose -f ... config --format json} gives the
 * normalised model (variables interpolated, paths absolute); every declaration and image is checked against it. A
 * derived model is written as YAML to a per-run work directory, never next to the user's file: each proxied service
 * {@code S} leaves its networks for a private network {@code gameday-S}, and a service {@code gameday-toxiproxy-S}
 * takes its place on them under its name and aliases, so the application still reaches {@code S:port} and finds the
 * proxy there. The run is a project of its own ({@code gameday-<run id>}), started with {@code up -d --build --wait}:
 * the file's healthchecks gate it, then the {@linkplain Builder#readiness readiness} path. Only 127.0.0.1 gets
 * published ports, all ephemeral: the file's own published ports and {@code container_name}s are dropped, so runs
 * never clash with each other or with the user's own stack; named volumes and networks are the run's own and are
 * removed with it (external ones are left alone).
 *
 * <p><b>Images.</b> Services with {@code build:} are built by Compose. A service naming only {@code image:} must find
 * it in the local engine, or its {@code gameday.local/} stand-in built by {@code scripts/build-images.sh}
 * ({@code redis:7.0} runs {@code gameday.local/redis:7.0}); nothing is ever pulled.
 *
 * <p><b>Limits.</b> A proxied service is reachable from the other services only through its proxy, on the proxied
 * port (its other ports are out of their reach). It keeps reaching the services it names in {@code depends_on},
 * through a network of its own ({@code gameday-S-out}; through their proxies where they are proxied too), but no
 * others: declare every service it calls in {@code depends_on}. One proxied port per service; one container per
 * declared service; the Toxiproxy config is bind-mounted, so the engine must run on this machine.
 *
 * <p><b>Cleanup.</b> {@link #close()} removes the project's containers, networks, volumes and built images, and the
 * work directory.
 * Testcontainers' reaper does not cover projects started with the Compose command line, so a JVM killed with
 * {@code kill -9} leaves its project behind: every service carries its owner's pid, process start time and host, and
 * every {@code ComposeEnvironment} start first brings down the {@code gameday-*} projects whose owner is dead on this
 * host, logging what it removes.
 */
public final class ComposeEnvironment implements Environment {

    static final String LABEL_ENVIRONMENT = "dev.gameday.environment";
    static final String LABEL_RUN = "dev.gameday.run";
    static final String LABEL_OWNER_PID = "dev.gameday.owner.pid";
    static final String LABEL_OWNER_STARTED = "dev.gameday.owner.started";
    static final String LABEL_OWNER_HOST = "dev.gameday.owner.host";
    static final String LABEL_WORK_DIR = "dev.gameday.workdir";
    static final String PROJECT_PREFIX = "gameday-";
    static final String WORK_DIR_PREFIX = "gameday-compose-";
    static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(180);

    private static final Logger LOG = LoggerFactory.getLogger(ComposeEnvironment.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration LONG = Duration.ofMinutes(2);
    private static final String COMPOSE_INSTALL = "scripts/install-compose.sh";

    private final String name;
    private final String runId;
    private final String project;
    private final List<Path> files;
    private final List<Declaration> declarations;
    private final Set<String> proxiedServices;
    private final Optional<String> readiness;
    private final Duration startupTimeout;
    private final DockerCli cli;
    private final List<ProxyConnectionsSidecar> sidecars = new ArrayList<>();
    private volatile Path workDir;
    private volatile Path derivedFile;
    private volatile List<String> services = List.of();
    private volatile List<Target> targets = List.of();
    private boolean closed;

    private ComposeEnvironment(Builder builder) {
        this.files = List.copyOf(builder.files);
        this.name = builder.name != null ? builder.name : defaultName(files.get(0));
        this.runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.project = PROJECT_PREFIX + runId;
        this.declarations = builder.declarations();
        this.proxiedServices = Set.copyOf(builder.proxied.keySet());
        this.readiness = Optional.ofNullable(builder.readiness);
        this.startupTimeout = builder.startupTimeout;
        this.cli = new DockerCli(files.get(0).toAbsolutePath().getParent());
    }

    /**
     * A builder for the system described by {@code composeFile} and its override files, applied in order, as with
     * {@code docker compose -f composeFile -f override ...}.
     *
     * <pre>{@code
     * ComposeEnvironment.builder(Path.of("docker-compose.yml"), Path.of("docker-compose.chatty.yml"))
     * }</pre>
     */
    public static Builder builder(Path composeFile, Path... overrideFiles) {
        List<Path> files = new ArrayList<>();
        files.add(java.util.Objects.requireNonNull(composeFile, "composeFile"));
        for (Path file : overrideFiles) {
            files.add(java.util.Objects.requireNonNull(file, "overrideFiles"));
        }
        return new Builder(files);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Target> targets() {
        return targets;
    }

    /**
     * Where load goes: the entry-point service. The runner sends load to its {@link Target#clientEndpoint()}: through
     * its proxy when the entry-point service is also declared {@linkplain Builder#proxied proxied}, so that network
     * faults on it reach the load; directly otherwise.
     */
    @Override
    public Target entryPoint() {
        return targets.get(0);
    }

    /**
     * The names of the targets, the entry point first.
     *
     * <pre>{@code
     * system.targetNames(); // [quotes, redis]
     * }</pre>
     */
    public Set<String> targetNames() {
        Set<String> names = new LinkedHashSet<>();
        targets.forEach(target -> names.add(target.name()));
        return names;
    }

    /** The Compose project this run is, {@code gameday-<run id>}: {@code docker compose -p <project> ps} shows it. */
    public String project() {
        return project;
    }

    /** Target containers that die, start again or run out of memory, from the Docker engine's event stream. */
    @Override
    public AutoCloseable watch(Consumer<TargetEvent> listener) {
        return ContainerEvents.watch(targets(), listener);
    }

    /**
     * Checks that every service's container still runs (and is healthy where it has a healthcheck), and that the
     * readiness path, if any, answers 2xx; for an environment shared between experiments.
     *
     * <pre>{@code
     * system.checkHealthy(); // throws, naming the stopped service and its last log lines
     * }</pre>
     *
     * @throws EnvironmentUnavailableException when it is not healthy; the message says what is wrong
     */
    @Override
    public void checkHealthy() {
        synchronized (this) {
            if (closed) {
                throw new EnvironmentUnavailableException("Compose environment '" + name + "' (project " + project
                        + ") was closed; start a new one.");
            }
        }
        String failing = failingServices();
        if (!failing.isEmpty()) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "' (project " + project
                    + ") is not healthy. " + failing);
        }
        if (readiness.isPresent()) {
            URI uri = entryPoint().endpoint().uri("http").resolve(readiness.get());
            String answer;
            try {
                HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                        .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                answer = "status " + response.statusCode() + " " + abbreviate(response.body());
            } catch (IOException e) {
                answer = Containers.rootMessage(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = "interrupted";
            }
            throw new EnvironmentUnavailableException("Compose environment '" + name + "' is not ready: expected "
                    + uri + " to answer 2xx, but got " + answer + "." + lastLines(entryPoint().name()));
        }
    }

    /** The per-run work directory holding the derived file (deleted by {@link #close()}); for tests. */
    Path workDirForTests() {
        return workDir;
    }

    /** Writes {@code <service>.log} into {@code directory} for every service, Gameday's proxies included. */
    @Override
    public void saveLogs(Path directory) {
        Path file = derivedFile;
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            for (String service : services) {
                Result logs = cli.runMerged(LONG, compose(file, "logs", "--no-color", "--no-log-prefix", service));
                if (logs.ok()) {
                    Files.writeString(directory.resolve(service + ".log"), logs.stdout());
                } else {
                    LOG.warn("Could not read the logs of service '{}' of project {}: {}", service, project,
                            logs.error());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the logs of project " + project + " to " + directory, e);
        }
    }

    /**
     * Stops the sidecars, then {@code docker compose -p <project> down -v --rmi local --remove-orphans -t 5}
     * (containers, networks, volumes, and the images built for this run), then deletes the work directory.
     * Idempotent; a second caller (a shutdown hook) waits until the first caller's stop is done.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> steps = new ArrayList<>(sidecars); // they live in the proxies' network namespaces
        steps.add(this::down);
        steps.add(this::deleteWorkDir);
        Containers.closeAll(steps);
    }

    @Override
    public String toString() {
        return "ComposeEnvironment[" + name + ", project " + project + ", files " + files + "]";
    }

    // ------------------------------------------------------------------------------------------------ starting

    private ComposeEnvironment startProject() {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new EnvironmentUnavailableException("Compose file " + file.toAbsolutePath() + ": expected a"
                        + " file, but " + (Files.exists(file) ? "it is not a regular file" : "there is none")
                        + ". Pass the path of your docker-compose.yml (relative paths are resolved against "
                        + Path.of("").toAbsolutePath() + ").");
            }
        }
        requireCompose();
        removeLeftovers();
        JsonNode normalised = normalisedModel();
        Map<String, String> labels = labels();
        Path dir;
        try {
            dir = Files.createTempDirectory(WORK_DIR_PREFIX + runId + "-");
        } catch (IOException e) {
            throw new EnvironmentUnavailableException("Could not create a work directory for the derived compose"
                    + " file in " + System.getProperty("java.io.tmpdir") + ": " + e.getMessage()
                    + ". Check that the temporary directory is writable (java.io.tmpdir).", e);
        }
        labels.put(LABEL_WORK_DIR, dir.toString());
        ComposeModel.Derived derived;
        try {
            derived = ComposeModel.derive(normalised, absolute(files), declarations, labels, dir, new EngineImages(cli),
                    proxiedServices.isEmpty() ? "" : toxiproxyImage());
            if (!proxiedServices.isEmpty()) {
                requireImage(Images.NETWORK_TOOLS.asCanonicalNameString(), "the sidecar that reads each proxy's open"
                        + " connections");
            }
            derived.imageChanges().forEach((from, to) -> LOG.info("Compose environment '{}': image {} runs as its"
                    + " local stand-in {}", name, from, to));
            for (Map.Entry<Path, String> config : derived.toxiproxyConfigs().entrySet()) {
                Files.writeString(config.getKey(), config.getValue());
            }
            Path file = dir.resolve("docker-compose.gameday.yml");
            // As printed by `docker compose config`, literal dollars are still escaped ($$): written back as they are.
            YAML.writeValue(file.toFile(), derived.model());
            this.workDir = dir;
            this.derivedFile = file;
            this.services = derived.services();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            if (e instanceof EnvironmentUnavailableException unavailable) {
                throw unavailable;
            }
            throw new EnvironmentUnavailableException("Could not write the derived compose file to " + dir + ": "
                    + Containers.rootMessage(e), e);
        }
        LOG.info("Compose environment '{}': starting project {} from {} (derived file {})", name, project, files,
                derivedFile);
        try {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            up();
            this.targets = buildTargets(labels);
            awaitReadiness(Duration.ofNanos(Math.max(Duration.ofSeconds(5).toNanos(), deadline - System.nanoTime())));
            return this;
        } catch (RuntimeException e) {
            String logs = saveFailureLogs();
            try {
                close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof EnvironmentUnavailableException unavailable) {
                throw new EnvironmentUnavailableException(unavailable.getMessage() + logs, unavailable);
            }
            throw new EnvironmentUnavailableException("Compose environment '" + name + "' did not start: "
                    + Containers.rootMessage(e) + "." + logs, e);
        }
    }

    private void requireCompose() {
        Result version = cli.run(SHORT, "compose", "version", "--short");
        String found = version.stdout().strip().replaceFirst("^v", "");
        if (!version.ok() || !found.startsWith("2.")) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': expected Docker Compose"
                    + " v2 ('docker compose version'), but " + (version.ok() ? "found version '" + found + "'"
                    : "it is not available (" + firstLine(version.error()) + ")") + ". Run " + COMPOSE_INSTALL
                    + " (it builds Compose v2 from source and installs it as a Docker CLI plugin; cached after the"
                    + " first run).");
        }
        Result engine = cli.run(SHORT, "version", "--format", "{{.Server.Version}}");
        if (!engine.ok()) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': no Docker engine answers ("
                    + firstLine(engine.error()) + "). On Debian as root, run scripts/ensure-docker.sh; elsewhere start"
                    + " Docker, or point DOCKER_HOST at an engine.");
        }
    }

    private JsonNode normalisedModel() {
        List<String> args = new ArrayList<>(List.of("compose"));
        for (Path file : absolute(files)) {
            args.add("-f");
            args.add(file.toString());
        }
        args.addAll(List.of("config", "--format", "json"));
        Result config = cli.run(SHORT, args);
        if (!config.ok()) {
            throw new EnvironmentUnavailableException("Compose file " + (files.size() == 1 ? files.get(0) : files)
                    + ": expected a valid compose model, but 'docker compose " + String.join(" ", args.subList(1,
                    args.size())) + "' failed:\n" + config.error() + "\nFix the file (the message above is Compose's"
                    + " own); 'docker compose config' shows what Compose reads.");
        }
        try {
            return JSON.readTree(config.stdout());
        } catch (IOException e) {
            throw new EnvironmentUnavailableException("'docker compose config --format json' printed something other"
                    + " than JSON (" + e.getMessage() + "). Check that 'docker compose version' is v2.", e);
        }
    }

    private String toxiproxyImage() {
        DockerImageName official = Images.TOXIPROXY;
        Optional<DockerImageName> local = LocalImageSubstitutor.localNameOf(official);
        EngineImages images = new EngineImages(cli);
        if (local.isPresent() && images.exists(local.get().asCanonicalNameString())) {
            return local.get().asCanonicalNameString();
        }
        if (images.exists(official.asCanonicalNameString())) {
            return official.asCanonicalNameString();
        }
        throw new EnvironmentUnavailableException("Compose environment '" + name + "': the proxies need the Toxiproxy"
                + " image " + local.map(l -> l.asCanonicalNameString() + " (or " + official.asCanonicalNameString()
                + ")").orElse(official.asCanonicalNameString()) + ", which is not in the local Docker engine, and"
                + " Gameday never pulls. Run scripts/build-images.sh (it builds it from source; cached).");
    }

    private void requireImage(String image, String purpose) {
        if (!new EngineImages(cli).exists(image)) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': " + purpose + " needs the"
                    + " image " + image + ", which is not in the local Docker engine. Run scripts/build-images.sh.");
        }
    }

    private void up() {
        long seconds = Math.max(1, startupTimeout.toSeconds());
        Result up = cli.run(startupTimeout.plusSeconds(30), compose(derivedFile, "up", "-d", "--build", "--pull",
                "never", "--wait", "--wait-timeout", String.valueOf(seconds)));
        if (!up.ok()) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "' (project " + project
                    + ") did not start: 'docker compose up' said:\n" + up.error() + "\n" + failingServices());
        }
    }

    private List<Target> buildTargets(Map<String, String> labels) {
        Map<String, NetworkLink> links = new LinkedHashMap<>();
        for (String service : proxiedServices) {
            Declaration declaration = declarations.stream()
                    .filter(d -> d.role() == Role.PROXIED && d.service().equals(service)).findFirst().orElseThrow();
            String proxyService = ComposeModel.PROXY_PREFIX + service;
            ProxyConnectionsSidecar sidecar;
            synchronized (this) {
                sidecar = ProxyConnectionsSidecar.startNextTo(containerId(proxyService), labels);
                sidecars.add(sidecar);
            }
            links.put(service, new NetworkLink(published(proxyService, ComposeModel.TOXIPROXY_API_PORT), service,
                    published(proxyService, declaration.port()),
                    Optional.of(sidecar.connectionsOn(declaration.port()))));
        }
        List<Target> result = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Declaration declaration : declarations) {
            if (!seen.add(declaration.service())) {
                continue; // the entry point's own proxy: its link is on the entry point's target
            }
            Protocol protocol = declaration.role() == Role.ENTRY_POINT ? Protocol.HTTP : declaration.protocol();
            result.add(new Target(declaration.service(), protocol, published(declaration.service(),
                    declaration.port()), Optional.ofNullable(links.get(declaration.service())),
                    Optional.of(containerId(declaration.service()))));
        }
        return List.copyOf(result);
    }

    /** Polls the readiness path for what is left of the startup timeout (at least 5 s). */
    private void awaitReadiness(Duration remaining) {
        if (readiness.isEmpty()) {
            return;
        }
        URI uri = entryPoint().endpoint().uri("http").resolve(readiness.get());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        try {
            Awaitility.await("readiness of " + uri).atMost(remaining).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        try {
                            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET()
                                    .build();
                            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            last.set("status " + response.statusCode() + " " + abbreviate(response.body()));
                            return response.statusCode() / 100 == 2;
                        } catch (IOException e) {
                            last.set(Containers.rootMessage(e));
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': expected " + uri
                    + " (the readiness path on entry point '" + entryPoint().name() + "') to answer 2xx within the"
                    + " startup timeout of " + startupTimeout.toSeconds() + " s, but the last answer was: " + last.get()
                    + ". Check the path, the service's logs, or raise startupTimeout(...)."
                    + lastLines(entryPoint().name()), e);
        }
    }

    // ----------------------------------------------------------------------------------------- docker queries

    private Endpoint published(String service, int port) {
        Result result = cli.run(SHORT, compose(derivedFile, "port", service, String.valueOf(port)));
        String address = result.stdout().strip();
        int colon = address.lastIndexOf(':');
        if (!result.ok() || colon < 0) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': expected port " + port
                    + " of service '" + service + "' to be published on 127.0.0.1, but 'docker compose port' said: "
                    + (result.ok() ? "'" + address + "'" : firstLine(result.error())) + ". Check that the service"
                    + " listens on that port inside its container.");
        }
        String host = address.substring(0, colon);
        return new Endpoint(host.isEmpty() || host.equals("0.0.0.0") ? "127.0.0.1" : host,
                Integer.parseInt(address.substring(colon + 1)));
    }

    private String containerId(String service) {
        Result result = cli.run(SHORT, compose(derivedFile, "ps", "-q", service));
        String id = result.stdout().strip().lines().findFirst().orElse("");
        if (!result.ok() || id.isEmpty()) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': service '" + service
                    + "' has no running container (" + (result.ok() ? "none listed" : firstLine(result.error()))
                    + ").");
        }
        return id;
    }

    /** The services that are not running or not healthy, with their last log lines. */
    private String failingServices() {
        Result ps = cli.run(SHORT, compose(derivedFile, "ps", "-a", "--format", "json"));
        List<String> failing = new ArrayList<>();
        if (ps.ok()) {
            for (String line : ps.stdout().strip().lines().toList()) {
                try {
                    for (JsonNode container : line.startsWith("[") ? JSON.readTree(line) : JSON.createArrayNode()
                            .add(JSON.readTree(line))) {
                        String state = container.path("State").asText("");
                        String health = container.path("Health").asText("");
                        if (!state.equals("running") || health.equals("unhealthy") || health.equals("starting")) {
                            failing.add(container.path("Service").asText() + " (" + state
                                    + (health.isEmpty() ? "" : ", " + health)
                                    + (state.equals("exited") ? ", exit code " + container.path("ExitCode").asText()
                                    : "") + ")");
                        }
                    }
                } catch (IOException e) {
                    LOG.debug("Unreadable line of 'docker compose ps': {}", line);
                }
            }
        }
        if (failing.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("Services not running or not healthy: " + failing + ".");
        for (String entry : failing) {
            text.append(lastLines(entry.substring(0, entry.indexOf(' '))));
        }
        return text.toString();
    }

    private String lastLines(String service) {
        Result logs = cli.runMerged(SHORT, compose(derivedFile, "logs", "--no-color", "--no-log-prefix", "--tail",
                "15", service));
        return "\nLast log lines of '" + service + "':\n" + logs.stdout().strip().indent(4);
    }

    private String saveFailureLogs() {
        if (derivedFile == null) {
            return "";
        }
        Path directory = Path.of(System.getProperty("java.io.tmpdir"), WORK_DIR_PREFIX + runId + "-logs");
        try {
            saveLogs(directory);
            return "\nEvery service's log is in " + directory + ".";
        } catch (RuntimeException e) {
            LOG.warn("Could not save the logs of project {}: {}", project, e.getMessage());
            return "";
        }
    }

    private void down() {
        if (derivedFile == null) {
            return;
        }
        // --rmi local: the images Compose built for this project only (tagged <project>-<service>); the build cache
        // stays, so the next run builds again in seconds.
        Result down = cli.run(LONG, compose(derivedFile, "down", "-v", "--rmi", "local", "--remove-orphans", "-t",
                "5"));
        if (!down.ok()) {
            throw new EnvironmentUnavailableException("Compose environment '" + name + "': 'docker compose -p "
                    + project + " down' failed:\n" + down.error() + "\nRemove what is left by hand: docker compose -p "
                    + project + " down -v --rmi local --remove-orphans");
        }
    }

    private void deleteWorkDir() {
        if (workDir != null) {
            deleteQuietly(workDir);
        }
    }

    private List<String> compose(Path file, String... args) {
        List<String> command = new ArrayList<>(List.of("compose", "-p", project, "-f", file.toString()));
        command.addAll(List.of(args));
        return command;
    }

    // -------------------------------------------------------------------------------------- leftovers, labels

    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_ENVIRONMENT, name);
        labels.put(LABEL_RUN, runId);
        ProcessHandle self = ProcessHandle.current();
        labels.put(LABEL_OWNER_PID, String.valueOf(self.pid()));
        labels.put(LABEL_OWNER_STARTED, startedMillis(self).map(String::valueOf).orElse("unknown"));
        labels.put(LABEL_OWNER_HOST, Leftovers.hostName());
        return labels;
    }

    private void removeLeftovers() {
        Leftovers.removeDeadOwners(cli);
    }

    static Optional<Long> startedMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static List<Path> absolute(List<Path> files) {
        return files.stream().map(file -> file.toAbsolutePath().normalize()).toList();
    }

    private static String defaultName(Path composeFile) {
        Path directory = composeFile.toAbsolutePath().normalize().getParent();
        return directory == null || directory.getFileName() == null ? "compose" : directory.getFileName().toString();
    }

    static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("Could not delete {}: {}", path, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", directory, e.getMessage());
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse(text);
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    /** Asks the engine, with {@code docker image inspect}, remembering answers for one start. */
    private static final class EngineImages implements ComposeModel.ImageResolver {
        private final DockerCli cli;
        private final Map<String, Boolean> known = new ConcurrentHashMap<>();

        EngineImages(DockerCli cli) {
            this.cli = cli;
        }

        @Override
        public boolean exists(String image) {
            return known.computeIfAbsent(image, i -> cli.run(SHORT, "image", "inspect", "--format", "{{.Id}}", i).ok());
        }

        @Override
        public Optional<String> localNameFor(String image) {
            try {
                return LocalImageSubstitutor.localNameOf(DockerImageName.parse(image))
                        .map(DockerImageName::asCanonicalNameString);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ builder

    /**
     * Declares what the harness needs from the user's compose file, then {@linkplain #start() starts} it.
     *
     * <pre>{@code
     * ComposeEnvironment.Builder builder = ComposeEnvironment.builder(Path.of("docker-compose.yml"))
     *         .name("quotes")
     *         .entryPoint("quotes", 8000)
     *         .proxied("redis", Protocol.REDIS, 6379)
     *         .target("worker", Protocol.TCP, 9000)
     *         .readiness("/health")
     *         .startupTimeout(Duration.ofMinutes(5));
     * builder.targetNames(); // [quotes, redis, worker]: validate fault targets before anything starts
     * ComposeEnvironment system = builder.start();
     * }</pre>
     *
     * <p>Service names become target names, so they must be lower-case letters, digits and dashes; a name that is
     * not is rejected here, before anything starts.
     */
    public static final class Builder {
        private final List<Path> files;
        private String name;
        private Declaration entryPoint;
        private final Map<String, Declaration> proxied = new LinkedHashMap<>();
        private final Map<String, Declaration> others = new LinkedHashMap<>();
        private String readiness;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder(List<Path> files) {
            this.files = files;
        }

        /** The environment's name in reports; default: the name of the compose file's directory. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Compose environment: name must not be blank.");
            }
            this.name = name;
            return this;
        }

        /**
         * The service load goes to, over HTTP on {@code port} inside its container; it becomes the first target,
         * named after the service. If the same service is also declared {@link #proxied proxied}, the runner sends
         * load through that proxy (the entry point's {@link Target#clientEndpoint()}).
         */
        public Builder entryPoint(String service, int port) {
            Declaration declaration = declaration(service, Protocol.HTTP, port, Role.ENTRY_POINT);
            if (entryPoint != null) {
                throw new IllegalArgumentException("Compose environment: the entry point is already '"
                        + entryPoint.service() + "' port " + entryPoint.port() + "; declare one entry point.");
            }
            if (others.containsKey(service)) {
                throw new IllegalArgumentException("Compose environment: service '" + service + "' is already a"
                        + " target; declare it as the entry point instead of target(...).");
            }
            this.entryPoint = declaration;
            return this;
        }

        /**
         * Inserts a Toxiproxy in front of {@code service}'s {@code port}: the other services reach the proxy under the
         * service's name, and the target named after the service gets a {@link NetworkLink} to it. One port per
         * service; the service keeps reaching only what it names in {@code depends_on} (see the class comment).
         */
        public Builder proxied(String service, Protocol protocol, int port) {
            Declaration declaration = declaration(service, protocol, port, Role.PROXIED);
            if (proxied.containsKey(service)) {
                throw new IllegalArgumentException("Compose environment: service '" + service + "' is already"
                        + " proxied on port " + proxied.get(service).port() + "; one proxied port per service.");
            }
            if (others.containsKey(service)) {
                throw new IllegalArgumentException("Compose environment: service '" + service + "' is already a"
                        + " target without proxy; declare it with proxied(...) only.");
            }
            proxied.put(service, declaration);
            others.put(service, declaration);
            return this;
        }

        /** A target without a proxy, for container faults and probes: {@code port} is published on 127.0.0.1. */
        public Builder target(String service, Protocol protocol, int port) {
            Declaration declaration = declaration(service, protocol, port, Role.TARGET);
            if (others.containsKey(service) || (entryPoint != null && entryPoint.service().equals(service))) {
                throw new IllegalArgumentException("Compose environment: service '" + service + "' is already a"
                        + " target; declare each service once (proxied(...) gives a target too).");
            }
            others.put(service, declaration);
            return this;
        }

        /** An HTTP path on the entry point that must answer 2xx before the environment counts as started. */
        public Builder readiness(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("Compose environment: readiness path must start with '/', for"
                        + " example /health, but was '" + path + "'.");
            }
            this.readiness = path;
            return this;
        }

        /** How long building, starting and getting ready may take together; default 180 s. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toHours() > 24) {
                throw new IllegalArgumentException("Compose environment: startup timeout must be between 1 s and"
                        + " 24 h, but was " + timeout + ".");
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * The names of the targets the environment will have, the entry point first, known before anything starts,
         * so that fault target names can be checked early.
         */
        public List<String> targetNames() {
            return declarations().stream().map(Declaration::service).distinct().toList();
        }

        /**
         * Checks the files and declarations, derives the model, builds and starts it, and waits until it is ready.
         *
         * @throws EnvironmentUnavailableException when a check fails (nothing was started then) or the system does not
         *                                         start (everything was stopped again); the message says what was
         *                                         expected, what was found and what to do
         */
        public ComposeEnvironment start() {
            if (entryPoint == null) {
                throw new IllegalStateException("Compose environment: declare the entry point, where load goes, with"
                        + " entryPoint(service, port) before start().");
            }
            return new ComposeEnvironment(this).startProject();
        }

        /** Entry point first, then the others in the order declared. */
        List<Declaration> declarations() {
            List<Declaration> all = new ArrayList<>();
            if (entryPoint != null) {
                all.add(entryPoint);
            }
            all.addAll(others.values());
            return all;
        }

        private static Declaration declaration(String service, Protocol protocol, int port, Role role) {
            if (service == null || !service.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("Compose environment: service '" + service + "' cannot be a"
                        + " target: target names are the service names and must be lower-case letters, digits and"
                        + " dashes, starting with a letter or digit. Rename the service in the compose file.");
            }
            java.util.Objects.requireNonNull(protocol, "protocol");
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Compose environment: port of service '" + service + "' must be"
                        + " between 1 and 65535 (the port inside its container), but was " + port + ".");
            }
            return new Declaration(service, protocol, port, role);
        }
    }
}
