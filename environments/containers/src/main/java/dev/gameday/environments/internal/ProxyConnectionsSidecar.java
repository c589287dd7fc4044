package dev.gameday.environments.internal;

import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.ProxyConnections;
import dev.gameday.environments.images.Images;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Reads the open connections of a proxy running in a container, from a sidecar container that shares the proxy's
 * network namespace: the kernel's TCP statistics ({@code ss -tinH}, each socket's {@code bytes_received}) there show
 * the proxy's sockets as the sidecar's own. Toxiproxy's image is {@code FROM scratch}, with no shell to run
 * {@code ss} in. Closing the sidecar stops it; the proxy keeps running.
 *
 * <pre>{@code
 * try (ProxyConnectionsSidecar sidecar = ProxyConnectionsSidecar.startNextTo(toxiproxy)) {
 *     ProxyConnections redis = sidecar.connectionsOn(8666); // the proxy's listening port inside its container
 *     long bytes = redis.bytesReceived();
 * }
 * }</pre>
 *
 * <p>Each reading runs {@code ss} once in the sidecar ({@code docker exec}, tens of milliseconds). It counts the
 * connections established at that moment; one that closes between two readings drops out of this figure, and Toxiproxy
 * counts its bytes in its own metrics when it ends: it may be counted twice or missed for that interval, which is good
 * enough to show that traffic flowed.
 */
public final class ProxyConnectionsSidecar implements AutoCloseable {

    static final DockerImageName IMAGE = Images.NETWORK_TOOLS;
    private static final Pattern BYTES_RECEIVED = Pattern.compile("(?<![\\w-])bytes_received:(\\d+)");
    /** A shell's and Docker's exit status for a command it cannot find or cannot run. */
    private static final List<Integer> NOT_RUNNABLE = List.of(126, 127);

    private final GenericContainer<?> sidecar;
    private final String proxyContainer;
    private volatile boolean closed;

    private ProxyConnectionsSidecar(GenericContainer<?> sidecar, String proxyContainer) {
        this.sidecar = sidecar;
        this.proxyContainer = proxyContainer;
    }

    /**
     * Starts a sidecar in the network namespace of {@code proxy}, which must be running, with the same labels, and
     * checks that it can run {@code ss}.
     *
     * @throws EnvironmentUnavailableException when the image is missing, the sidecar does not start or cannot run
     *                                         {@code ss}; the message says what to do
     */
    public static ProxyConnectionsSidecar startNextTo(GenericContainer<?> proxy) {
        String proxyId = proxy.getContainerId();
        if (proxyId == null || !proxy.isRunning()) {
            throw new IllegalStateException("Proxy container " + proxy.getDockerImageName() + ": expected a running"
                    + " container, but it is not running. Start it before the sidecar that reads its connections.");
        }
        return start(proxyId, proxy.getLabels());
    }

    /**
     * Starts a sidecar in the network namespace of the running container {@code proxyContainerId}, for proxies that
     * Testcontainers did not start (a Docker Compose project's), with these labels, and checks that it can run
     * {@code ss}.
     *
     * <pre>{@code
     * try (ProxyConnectionsSidecar sidecar = ProxyConnectionsSidecar.startNextTo(toxiproxyContainerId,
     *         Map.of("dev.gameday.run", runId))) {
     *     long bytes = sidecar.connectionsOn(6379).bytesReceived();
     * }
     * }</pre>
     *
     * @throws EnvironmentUnavailableException when the image is missing, the sidecar does not start or cannot run
     *                                         {@code ss}; the message says what to do
     */
    public static ProxyConnectionsSidecar startNextTo(String proxyContainerId, Map<String, String> labels) {
        if (proxyContainerId == null || proxyContainerId.isBlank()) {
            throw new IllegalArgumentException("Proxy container: expected the id of a running container, but it was"
                    + " blank. Start the proxy before the sidecar that reads its connections.");
        }
        return start(proxyContainerId, labels);
    }

    private static ProxyConnectionsSidecar start(String proxyId, Map<String, String> labels) {
        Containers.requireLocalImage(IMAGE, "scripts/build-images.sh");
        GenericContainer<?> sidecar = new GenericContainer<>(IMAGE)
                .withNetworkMode("container:" + proxyId)
                .withLabels(labels)
                .withCommand("sleep", "infinity");
        ProxyConnectionsSidecar started = new ProxyConnectionsSidecar(sidecar, shortId(proxyId));
        try {
            sidecar.start();
            ExecResult version = sidecar.execInContainer("ss", "-V");
            if (version.getExitCode() != 0) {
                throw new EnvironmentUnavailableException("The sidecar reading the connections of container "
                        + started.proxyContainer + " cannot run ss: 'ss -V' exited with " + version.getExitCode() + " ("
                        + output(version) + "). " + missingSsAdvice());
            }
            return started;
        } catch (IOException | RuntimeException e) {
            started.close();
            if (e instanceof EnvironmentUnavailableException unavailable) {
                throw unavailable;
            }
            throw new EnvironmentUnavailableException("The sidecar reading the connections of container "
                    + started.proxyContainer + " did not start: " + Containers.rootMessage(e) + ". Check that the"
                    + " container is running and that the Docker engine allows --network container:<id>.", e);
        } catch (InterruptedException e) {
            started.close();
            Thread.currentThread().interrupt();
            throw new EnvironmentUnavailableException("Interrupted while starting the sidecar reading the connections"
                    + " of container " + started.proxyContainer + ".", e);
        }
    }

    /** The connections open on {@code listenPort}, the proxy's listening port inside its container (not a mapped one). */
    public ProxyConnections connectionsOn(int listenPort) {
        if (listenPort < 1 || listenPort > 65_535) {
            throw new IllegalArgumentException("Proxy connections of container " + proxyContainer + ": listening port"
                    + " must be between 1 and 65535, but was " + listenPort + ". Use the port inside the container.");
        }
        return () -> bytesReceivedOn(listenPort);
    }

    private long bytesReceivedOn(int listenPort) throws IOException, InterruptedException {
        String[] command = {"ss", "-tinH", "state", "established", "( sport = :" + listenPort + " )"};
        String subject = "The open connections on port " + listenPort + " of container " + proxyContainer;
        if (closed) {
            throw new IllegalStateException(subject + " cannot be read: the sidecar reading them was closed with its"
                    + " environment. Read them while the environment runs.");
        }
        ExecResult result;
        try {
            result = sidecar.execInContainer(command);
        } catch (IOException | RuntimeException e) {
            throw new IOException(subject + " could not be read: " + Containers.rootMessage(e) + ". Check that"
                    + " container " + proxyContainer + " and its sidecar " + shortId(sidecar.getContainerId())
                    + " are running.", e);
        }
        if (result.getExitCode() != 0) {
            throw new IOException(subject + " could not be read: '" + String.join(" ", command) + "' in sidecar "
                    + shortId(sidecar.getContainerId()) + " exited with " + result.getExitCode() + ", expected 0 ("
                    + output(result) + "). " + (NOT_RUNNABLE.contains(result.getExitCode()) ? missingSsAdvice()
                    : "Check that container " + proxyContainer + " is still running."));
        }
        return bytesReceived(result.getStdout());
    }

    /**
     * The sum of {@code bytes_received} over the sockets in {@code ss -tinH} output. The kernel reports it once a
     * socket has received data; a socket without it has received nothing yet and counts zero.
     */
    static long bytesReceived(String ssOutput) {
        long total = 0;
        Matcher matcher = BYTES_RECEIVED.matcher(ssOutput);
        while (matcher.find()) {
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }

    /** Stops the sidecar; idempotent. */
    @Override
    public void close() {
        closed = true;
        sidecar.stop();
    }

    private static String missingSsAdvice() {
        return "The sidecar image " + IMAGE.asCanonicalNameString() + " must have iproute2's ss; run"
                + " scripts/build-images.sh to build it again.";
    }

    private static String output(ExecResult result) {
        String text = (result.getStderr() + " " + result.getStdout()).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "no output" : text;
    }

    private static String shortId(String containerId) {
        return containerId == null ? "(not started)" : containerId.substring(0, Math.min(12, containerId.length()));
    }
}
