package dev.gameday.environments.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Watches target containers through the Docker engine's event stream ({@code docker events}) and reports their deaths,
 * (re)starts and out-of-memory kills as {@link TargetEvent}s. On {@code die} it inspects the container for the exit
 * code and whether the kernel OOM-killed it (the event's own attributes are the fallback for a container already
 * removed).
 *
 * <pre>{@code
 * try (AutoCloseable watch = ContainerEvents.watch(environment.targets(), event -> System.out.println(event))) {
 *     // run the load
 * }
 * }</pre>
 */
public final class ContainerEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerEvents.class);
    private static final Set<String> ACTIONS = Set.of("die", "start", "restart", "oom");

    private final DockerClient docker;
    private final Map<String, String> targetsById;
    private final Consumer<TargetEvent> listener;
    private final Instant since;
    /** Containers reported out of memory, so that a death after it is known as an OOM kill even if inspect fails. */
    private final Set<String> outOfMemory = ConcurrentHashMap.newKeySet();
    private final ResultCallback.Adapter<Event> callback;
    private volatile boolean closed;

    private ContainerEvents(DockerClient docker, Map<String, String> targetsById, Consumer<TargetEvent> listener) {
        this.docker = docker;
        this.targetsById = Map.copyOf(targetsById);
        this.listener = listener;
        this.since = Instant.now();
        this.callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                handle(event);
            }

            @Override
            public void onError(Throwable throwable) {
                if (!closed) {
                    LOG.warn("Watching the target containers stopped: {}", throwable.toString());
                }
                super.onError(throwable);
            }
        };
    }

    /** Watches the targets that run in containers (the others are left out) through Testcontainers' Docker client. */
    public static AutoCloseable watch(List<Target> targets, Consumer<TargetEvent> listener) {
        Map<String, String> byId = new LinkedHashMap<>();
        targets.forEach(target -> target.containerId().ifPresent(id -> byId.put(id, target.name())));
        if (byId.isEmpty()) {
            return () -> { };
        }
        return watch(DockerClientFactory.instance().client(), byId, listener);
    }

    /**
     * Watches the given containers.
     *
     * @param targetsById target names by container id (full ids, as Testcontainers gives them)
     */
    public static ContainerEvents watch(DockerClient docker, Map<String, String> targetsById,
                                        Consumer<TargetEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        ContainerEvents events = new ContainerEvents(docker, targetsById, listener);
        events.start();
        return events;
    }

    private void start() {
        docker.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withContainerFilter(targetsById.keySet().toArray(String[]::new))
                .withEventFilter(ACTIONS.toArray(String[]::new))
                // from a second before now, so that nothing between the call and the stream's start is missed;
                // anything older than the subscription is dropped in handle()
                .withSince(Long.toString(since.getEpochSecond() - 1))
                .exec(callback);
        try {
            callback.awaitStarted(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(Event event) {
        String action = event.getAction() != null ? event.getAction() : event.getStatus();
        String id = event.getId() != null ? event.getId() : event.getActor() == null ? null : event.getActor().getId();
        String target = id == null ? null : targetsById.get(id);
        if (action == null || target == null || !ACTIONS.contains(action)) {
            return;
        }
        Instant at = event.getTimeNano() != null ? Instant.ofEpochSecond(0, event.getTimeNano())
                : event.getTime() != null ? Instant.ofEpochSecond(event.getTime()) : Instant.now();
        if (at.isBefore(since)) {
            return;
        }
        TargetEvent found = switch (action) {
            case "oom" -> {
                outOfMemory.add(id);
                yield new TargetEvent(at, target, TargetEvent.Kind.OOM_KILLED, OptionalInt.empty(), true, "");
            }
            case "die" -> died(at, target, id, event);
            default -> new TargetEvent(at, target, TargetEvent.Kind.STARTED, OptionalInt.empty(), false,
                    action.equals("restart") ? "restarted" : "");
        };
        try {
            listener.accept(found);
        } catch (RuntimeException e) {
            LOG.warn("A listener failed on {}: {}", found, e.toString());
        }
    }

    private TargetEvent died(Instant at, String target, String id, Event event) {
        OptionalInt exitCode = OptionalInt.empty();
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        try {
            exitCode = OptionalInt.of(Integer.parseInt(attributes.getOrDefault("exitCode", "")));
        } catch (NumberFormatException e) {
            // not reported; inspect may know
        }
        boolean oomKilled = outOfMemory.remove(id);
        try {
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            // A container with a restart policy may already run again, its exit code reset to 0: the event's own
            // exit code is this death's, and inspect's only stands in for it when the event has none.
            if (exitCode.isEmpty() && state.getExitCodeLong() != null && !Boolean.TRUE.equals(state.getRunning())) {
                exitCode = OptionalInt.of(state.getExitCodeLong().intValue());
            }
            oomKilled |= Boolean.TRUE.equals(state.getOOMKilled());
        } catch (RuntimeException e) {
            // removed already: the event's exit code, and any oom event before it, are what there is
        }
        return new TargetEvent(at, target, TargetEvent.Kind.DIED, exitCode, oomKilled, "");
    }

    /** Stops watching; idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            callback.close();
        } catch (java.io.IOException e) {
            LOG.debug("Closing the container event stream: {}", e.toString());
        }
    }
}
