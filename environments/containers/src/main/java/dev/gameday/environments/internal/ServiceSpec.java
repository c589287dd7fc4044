package dev.gameday.environments.internal;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.sun.management.OperatingSystemMXBean;
import dev.gameday.environments.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * What the builder knows about one service of a {@code ContainerSystem}: every setting, checked as it is given, and how
 * they turn into a Testcontainers container once the whole system has been checked.
 *
 * <pre>{@code
 * ServiceSpec redis = ServiceSpec.ofImage("redis", Images.REDIS).port(6379, Protocol.REDIS);
 * GenericContainer<?> container = redis.container(network, "redis-upstream", labels, Optional.empty());
 * }</pre>
 */
public final class ServiceSpec {

    /** The smallest memory limit Docker accepts. */
    public static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024;
    public static final double MIN_CPUS = 0.01;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_STARTUP_TIMEOUT = Duration.ofHours(1);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final DockerImageName image;
    private final GenericContainer<?> given;
    private Integer port;
    private Protocol protocol;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Long memoryBytes;
    private Double cpus;
    private final Map<String, MountableFile> files = new LinkedHashMap<>();
    private List<String> command;
    private final Set<String> dependsOn = new LinkedHashSet<>();
    private final List<String> logLines = new ArrayList<>();
    private final List<String> httpPaths = new ArrayList<>();
    private Duration startupTimeout;
    /** Docker's on-failure restart policy: null for none, 0 for unlimited retries, otherwise the most retries. */
    private Integer restartRetries;

    private ServiceSpec(String name, DockerImageName image, GenericContainer<?> given) {
        this.name = name;
        this.image = image;
        this.given = given;
    }

    public static ServiceSpec ofImage(String name, DockerImageName image) {
        return new ServiceSpec(name, Objects.requireNonNull(image, "image"), null);
    }

    public static ServiceSpec ofContainer(String name, GenericContainer<?> container) {
        Objects.requireNonNull(container, "container");
        if (container.getContainerId() != null) {
            throw new IllegalArgumentException("Service '" + name + "': expected a container not started yet, but it"
                    + " runs as " + container.getContainerId() + ". Pass it before starting it; the system starts it.");
        }
        return new ServiceSpec(name, null, container);
    }

    public String name() {
        return name;
    }

    public Optional<Integer> port() {
        return Optional.ofNullable(port);
    }

    public Protocol protocol() {
        return protocol;
    }

    public Set<String> dependsOn() {
        return dependsOn;
    }

    public Optional<DockerImageName> image() {
        return Optional.ofNullable(image);
    }

    public ServiceSpec port(int port, Protocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (this.port != null) {
            throw problem("has port " + this.port + " already; a service has one port, its target's. Declare port("
                    + port + ", ...) on a service of its own, or drop one of the calls");
        }
        if (port < 1 || port > 65_535) {
            throw problem("port must be between 1 and 65535, but was " + port + ". Give the port inside the container,"
                    + " not a mapped one");
        }
        this.port = port;
        this.protocol = protocol;
        return this;
    }

    public ServiceSpec env(String variable, String value) {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(value, "value of " + variable);
        if (!ENV_NAME.matcher(variable).matches()) {
            throw problem("environment variable name must be letters, digits and underscores, not starting with a"
                    + " digit, but was '" + variable + "'");
        }
        env.put(variable, value);
        return this;
    }

    public ServiceSpec memory(long bytes) {
        long total = physicalMemory();
        if (bytes < MIN_MEMORY_BYTES || bytes > total) {
            throw problem("memory limit must be between 6 MB (Docker's minimum) and " + total / (1024 * 1024)
                    + " MB (this machine's memory), but was " + bytes + " bytes. Give bytes, for example memory(256 *"
                    + " ContainerSystem.MB)");
        }
        this.memoryBytes = bytes;
        return this;
    }

    public ServiceSpec cpus(double limit) {
        int available = Runtime.getRuntime().availableProcessors();
        if (!(limit >= MIN_CPUS && limit <= available)) {
            throw problem("CPU limit must be between " + MIN_CPUS + " and the " + available + " CPUs of this machine,"
                    + " but was " + limit);
        }
        this.cpus = limit;
        return this;
    }

    public ServiceSpec file(MountableFile source, String containerPath) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(containerPath, "containerPath");
        if (!containerPath.startsWith("/")) {
            throw problem("a file's path in the container must be absolute, but was '" + containerPath + "'");
        }
        files.put(containerPath, source);
        return this;
    }

    public ServiceSpec command(String... command) {
        if (command.length == 0 || List.of(command).stream().anyMatch(Objects::isNull)) {
            throw problem("command must have at least one part and no null part, but was " + List.of(command));
        }
        this.command = List.of(command);
        return this;
    }

    /**
     * Docker restarts the container when its main process ends with a non-zero code (a crash, a kill, an OOM kill),
     * at most {@code maxRetries} times (0: without limit). Its target's host port is then fixed when the container is
     * created, since Docker would give a restarted container new ephemeral ports.
     */
    public ServiceSpec restartOnFailure(int maxRetries) {
        if (maxRetries < 0) {
            throw problem("the most restarts on failure must be 0 (no limit) or more, but was " + maxRetries);
        }
        this.restartRetries = maxRetries;
        return this;
    }

    public Optional<Integer> restartRetries() {
        return Optional.ofNullable(restartRetries);
    }

    public ServiceSpec dependsOn(String... names) {
        for (String other : names) {
            Objects.requireNonNull(other, "dependsOn name");
            if (other.equals(name)) {
                throw problem("cannot depend on itself. Name the services it needs before it starts");
            }
            dependsOn.add(other);
        }
        return this;
    }

    public ServiceSpec waitingForLog(String regex) {
        Objects.requireNonNull(regex, "regex");
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw problem("waitingForLog expects a regular expression, but '" + regex + "' is not one: "
                    + e.getDescription());
        }
        logLines.add(regex);
        return this;
    }

    public ServiceSpec waitingForHttp(String path) {
        requirePath(path, "waitingForHttp");
        httpPaths.add(path);
        return this;
    }

    public ServiceSpec startupTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_STARTUP_TIMEOUT) > 0) {
            throw problem("startup timeout must be above 0 and at most 1 hour, but was " + timeout);
        }
        this.startupTimeout = timeout;
        return this;
    }

    public Duration startupTimeoutOrDefault() {
        return startupTimeout == null ? DEFAULT_STARTUP_TIMEOUT : startupTimeout;
    }

    /** Fails unless {@code path} is an absolute HTTP path such as {@code /health}. */
    public static void requirePath(String path, String purpose) {
        Objects.requireNonNull(path, purpose + " path");
        if (!path.startsWith("/") || path.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(purpose + ": expected an absolute HTTP path such as /health, but found '"
                    + path + "'.");
        }
    }

    /**
     * The container for this service, configured but not started: on {@code network} under the one alias given (its
     * own name, or {@code <name>-upstream} behind a proxy), with the labels, and also waiting for
     * {@code readinessPath} when it is the entry point.
     */
    public GenericContainer<?> container(Network network, String alias, Map<String, String> labels,
                                         Optional<String> readinessPath) {
        GenericContainer<?> container = given != null ? given : new GenericContainer<>(image);
        container.withNetwork(network);
        container.setNetworkAliases(new ArrayList<>(List.of(alias)));
        Map<String, String> allLabels = new LinkedHashMap<>(container.getLabels());
        allLabels.putAll(labels);
        container.setLabels(allLabels);
        if (port != null && !container.getExposedPorts().contains(port)) {
            container.addExposedPort(port);
        }
        env.forEach(container::withEnv);
        files.forEach((path, source) -> container.withCopyFileToContainer(source, path));
        if (command != null) {
            container.withCommand(command.toArray(String[]::new));
        }
        if (memoryBytes != null || cpus != null) {
            Long memory = memoryBytes;
            Double limit = cpus;
            container.withCreateContainerCmdModifier(cmd -> {
                if (memory != null) {
                    cmd.getHostConfig().withMemory(memory).withMemorySwap(memory);
                }
                if (limit != null) {
                    cmd.getHostConfig().withNanoCPUs(Math.round(limit * 1e9));
                }
            });
        }
        if (restartRetries != null) {
            int retries = restartRetries;
            Integer fixedPort = port;
            container.withCreateContainerCmdModifier(cmd -> {
                cmd.getHostConfig().withRestartPolicy(RestartPolicy.onFailureRestart(retries));
                if (fixedPort != null) {
                    // A restart gives ephemeral ports anew: a port chosen now keeps the target's address valid.
                    Ports bindings = cmd.getHostConfig().getPortBindings() == null ? new Ports()
                            : cmd.getHostConfig().getPortBindings();
                    bindings.bind(ExposedPort.tcp(fixedPort), Ports.Binding.bindPort(freeHostPort()));
                    cmd.getHostConfig().withPortBindings(bindings);
                }
            });
        }
        List<WaitStrategy> all = new ArrayList<>();
        // Testcontainers matches each output line whole, its line break included.
        logLines.forEach(regex -> all.add(Wait.forLogMessage(regex + "\\R?", 1)));
        httpPaths.forEach(path -> all.add(httpWait(path)));
        readinessPath.ifPresent(path -> all.add(httpWait(path)));
        if (all.isEmpty() && given == null && port != null) {
            all.add(Wait.forListeningPort());
        }
        if (all.size() == 1) {
            container.setWaitStrategy(all.get(0).withStartupTimeout(startupTimeoutOrDefault()));
        } else if (all.size() > 1) {
            WaitAllStrategy every = new WaitAllStrategy();
            all.forEach(every::withStrategy);
            container.setWaitStrategy(every.withStartupTimeout(startupTimeoutOrDefault()));
        } else if (startupTimeout != null) {
            container.withStartupTimeout(startupTimeout);
        }
        return container;
    }

    /** Whether a wait needs the service's port: an HTTP path is asked on it. */
    public boolean waitsForHttp() {
        return !httpPaths.isEmpty();
    }

    private WaitStrategy httpWait(String path) {
        return Wait.forHttp(path).forPort(port).forStatusCodeMatching(status -> status >= 200 && status < 300);
    }

    /** A host port free right now, for a container about to be created. */
    private static int freeHostPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free host port for a service with a restart policy: "
                    + e.getMessage(), e);
        }
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException("Service '" + name + "': " + what + ".");
    }

    private static long physicalMemory() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    }
}
