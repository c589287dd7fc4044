package dev.gameday.environments.kubernetes.internal;

import dev.gameday.environments.TargetEvent;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The target pods' container lifecycle as {@link TargetEvent}s, read from the API's pod statuses through an
 * informer: a container's restart count rising means it died (its last termination state says how: exit code,
 * {@code OOMKilled}) and started again; a pod deleted means its containers died. A pod belongs to the first target
 * whose Service selector its labels match.
 *
 * <pre>{@code
 * try (AutoCloseable watch = PodEvents.watch(client, "trading", Map.of("api", Map.of("app", "api")), events::add)) {
 *     // ...
 * }
 * }</pre>
 */
public final class PodEvents implements ResourceEventHandler<Pod> {

    private final Map<String, Map<String, String>> selectors;
    private final Consumer<TargetEvent> listener;
    /** Restart count per pod uid and container name, as last seen. */
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();

    private PodEvents(Map<String, Map<String, String>> selectors, Consumer<TargetEvent> listener) {
        this.selectors = selectors;
        this.listener = listener;
    }

    /** Watches the namespace's pods until the handle is closed. */
    public static AutoCloseable watch(KubernetesClient client, String namespace,
                                      Map<String, Map<String, String>> selectors, Consumer<TargetEvent> listener) {
        PodEvents events = new PodEvents(Map.copyOf(selectors), listener);
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(namespace).inform(events, 0);
        return informer::close;
    }

    /** The target whose selector the pod's labels match, or null. */
    String targetOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        return selectors.entrySet().stream()
                .filter(e -> e.getValue().entrySet().stream()
                        .allMatch(l -> Objects.equals(labels.get(l.getKey()), l.getValue())))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    @Override
    public void onAdd(Pod pod) {
        for (ContainerStatus status : statuses(pod)) {
            restarts.put(key(pod, status), count(status));
        }
    }

    @Override
    public void onUpdate(Pod before, Pod pod) {
        String target = targetOf(pod);
        for (ContainerStatus status : statuses(pod)) {
            Integer seen = restarts.put(key(pod, status), count(status));
            if (target == null || seen == null || count(status) <= seen) {
                continue;
            }
            ContainerStateTerminated last = status.getLastState() == null ? null
                    : status.getLastState().getTerminated();
            boolean oom = last != null && "OOMKilled".equals(last.getReason());
            OptionalInt exit = last == null || last.getExitCode() == null ? OptionalInt.empty()
                    : OptionalInt.of(last.getExitCode());
            Instant diedAt = last == null || last.getFinishedAt() == null ? Instant.now()
                    : Instant.parse(last.getFinishedAt());
            String where = "pod " + pod.getMetadata().getName() + ", container " + status.getName() + ", restart "
                    + count(status);
            if (oom) {
                listener.accept(new TargetEvent(diedAt, target, TargetEvent.Kind.OOM_KILLED, exit, true, where));
            }
            listener.accept(new TargetEvent(diedAt, target, TargetEvent.Kind.DIED, exit, oom,
                    where + (last != null && last.getReason() != null ? ", " + last.getReason() : "")));
            listener.accept(new TargetEvent(Instant.now(), target, TargetEvent.Kind.STARTED, OptionalInt.empty(),
                    false, where));
        }
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        String target = targetOf(pod);
        statuses(pod).forEach(status -> restarts.remove(key(pod, status)));
        if (target != null) {
            listener.accept(new TargetEvent(Instant.now(), target, TargetEvent.Kind.DIED, OptionalInt.empty(), false,
                    "pod " + pod.getMetadata().getName() + " deleted"));
        }
    }

    private static List<ContainerStatus> statuses(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
    }

    private static String key(Pod pod, ContainerStatus status) {
        return pod.getMetadata().getUid() + "/" + status.getName();
    }

    private static int count(ContainerStatus status) {
        return status.getRestartCount() == null ? 0 : status.getRestartCount();
    }
}
