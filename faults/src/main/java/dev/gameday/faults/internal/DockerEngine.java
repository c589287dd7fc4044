package dev.gameday.faults.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Ports;
import dev.gameday.environments.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The few Docker engine calls the Docker faults make, through docker-java (Testcontainers' client): never the
 * {@code docker} command line.
 *
 * <pre>{@code
 * DockerEngine.Exec result = DockerEngine.exec(containerId, Duration.ofSeconds(5), "sh", "-c", "echo hello");
 * long bytes = DockerEngine.memoryUsage(containerId);
 * }</pre>
 */
public final class DockerEngine {

    /** Reads the container's own cgroup memory usage: cgroup v1's file, else v2's. */
    private static final String MEMORY_USAGE = "cat /sys/fs/cgroup/memory/memory.usage_in_bytes 2>/dev/null"
            + " || cat /sys/fs/cgroup/memory.current";

    private DockerEngine() {
    }

    public static DockerClient client() {
        return DockerClientFactory.instance().client();
    }

    public static InspectContainerResponse inspect(String containerId) {
        return client().inspectContainerCmd(containerId).exec();
    }

    /** What a command run in a container printed and how it ended. */
    public record Exec(long exitCode, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        /** stdout and stderr, trimmed, for messages. */
        public String output() {
            return (stdout.strip() + " " + stderr.strip()).strip();
        }
    }

    /** Runs a command in the container as root and waits for it to end (at most {@code timeout}). */
    public static Exec exec(String containerId, Duration timeout, String... command) throws IOException {
        DockerClient docker = client();
        String execId = docker.execCreateCmd(containerId).withUser("0").withAttachStdout(true)
                .withAttachStderr(true).withCmd(command).exec().getId();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
                synchronized (out) {
                    (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDERR ? err : out)
                            .append(text);
                }
            }
        };
        try {
            if (!docker.execStartCmd(execId).exec(callback).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("command " + List.of(command) + " in container " + shortId(containerId)
                        + " did not end within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + List.of(command), e);
        } finally {
            callback.close();
        }
        Long exitCode = docker.inspectExecCmd(execId).exec().getExitCodeLong();
        synchronized (out) {
            return new Exec(exitCode == null ? -1 : exitCode, out.toString(), err.toString());
        }
    }

    /** Starts a command in the container as root without waiting for it; returns the exec's id. */
    public static String execDetached(String containerId, String... command) {
        DockerClient docker = client();
        String execId = docker.execCreateCmd(containerId).withUser("0").withCmd(command).exec().getId();
        try {
            docker.execStartCmd(execId).withDetach(true).exec(new ResultCallback.Adapter<>()).awaitCompletion(10,
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return execId;
    }

    /** The memory the container's cgroup uses now (page cache included), read from inside it. */
    public static long memoryUsage(String containerId) throws IOException {
        Exec read = exec(containerId, Duration.ofSeconds(10), "sh", "-c", MEMORY_USAGE);
        try {
            return Long.parseLong(read.stdout().strip());
        } catch (NumberFormatException e) {
            throw new IOException("expected the container's cgroup memory usage (a number of bytes), found '"
                    + read.output() + "'");
        }
    }

    /**
     * The exit codes of the container's deaths between {@code since} and now, from the engine's event stream (its
     * {@code die} events), oldest first.
     */
    public static List<Integer> deathsSince(String containerId, Instant since) {
        List<Integer> exitCodes = java.util.Collections.synchronizedList(new ArrayList<>());
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                        ? Map.of() : event.getActor().getAttributes();
                try {
                    exitCodes.add(Integer.parseInt(attributes.getOrDefault("exitCode", "-1")));
                } catch (NumberFormatException e) {
                    exitCodes.add(-1);
                }
            }
        };
        Instant now = Instant.now();
        client().eventsCmd().withEventTypeFilter(EventType.CONTAINER).withContainerFilter(containerId)
                .withEventFilter("die").withSince(timestamp(since)).withUntil(timestamp(now)).exec(callback);
        try {
            callback.awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (exitCodes) {
            return List.copyOf(exitCodes);
        }
    }

    /**
     * Where the harness reaches {@code containerPort} now: a container that restarted may have another ephemeral host
     * port than when the target was made.
     */
    public static Optional<Endpoint> currentEndpoint(InspectContainerResponse container, String host,
                                                     int containerPort) {
        Ports ports = container.getNetworkSettings() == null ? null : container.getNetworkSettings().getPorts();
        if (ports == null) {
            return Optional.empty();
        }
        Ports.Binding[] bindings = ports.getBindings().get(ExposedPort.tcp(containerPort));
        if (bindings == null) {
            return Optional.empty();
        }
        for (Ports.Binding binding : bindings) {
            if (binding.getHostPortSpec() != null && !binding.getHostPortSpec().isBlank()) {
                return Optional.of(new Endpoint(host, Integer.parseInt(binding.getHostPortSpec())));
            }
        }
        return Optional.empty();
    }

    /** The container port published on {@code hostPort}, if any. */
    public static Optional<Integer> containerPortOf(InspectContainerResponse container, int hostPort) {
        Ports ports = container.getNetworkSettings() == null ? null : container.getNetworkSettings().getPorts();
        if (ports == null) {
            return Optional.empty();
        }
        for (Map.Entry<ExposedPort, Ports.Binding[]> entry : ports.getBindings().entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            for (Ports.Binding binding : entry.getValue()) {
                if (String.valueOf(hostPort).equals(binding.getHostPortSpec())) {
                    return Optional.of(entry.getKey().getPort());
                }
            }
        }
        return Optional.empty();
    }

    /** Docker's event-filter time: seconds and nanoseconds since the epoch. */
    private static String timestamp(Instant at) {
        return at.getEpochSecond() + "." + String.format("%09d", at.getNano());
    }

    public static String shortId(String containerId) {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }

    /** Whether the engine still knows the container. */
    public static boolean exists(String containerId) {
        try {
            inspect(containerId);
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    /** A short wait between two polls of the engine. */
    static void pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
