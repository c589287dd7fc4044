package dev.gameday.environments.kubernetes;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.kubernetes.internal.BlastRadius;
import dev.gameday.environments.kubernetes.internal.PodEvents;
import dev.gameday.environments.kubernetes.internal.ServiceForward;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A system under test in a Kubernetes cluster, through the fabric8 kubernetes-client: deployed from plain manifests
 * into a namespace (and deleted again on {@link #close()}), or already running there (attached: nothing is created
 * or deleted). Its targets are Services, each reached from the harness through a port on {@code 127.0.0.1} that
 * forwards every connection to a ready pod through the API server, like {@code kubectl port-forward}: no NodePort,
 * ingress or route off the machine is needed, and the same code serves a laptop's cluster and a staging cluster.
 *
 * <pre>{@code
 * try (KubernetesEnvironment system = KubernetesEnvironment.builder()
 *         .kubeconfig(Path.of("/var/lib/gameday-cluster/kubeconfig"))   // default: $KUBECONFIG, then ~/.kube/config
 *         .context("staging")                                          // default: the kubeconfig's current one
 *         .namespace("trading")                                        // required; never assumed
 *         .manifests(Path.of("k8s/"))                                  // leave out to attach to what runs there
 *         .service("api", 8080, Protocol.HTTP)
 *         .service("redis", 6379, Protocol.REDIS)
 *         .entryPoint("api", "/health/ready")
 *         .start()) {
 *     URI api = system.entryPoint().endpoint().uri("http");             // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p><b>A guarded blast radius.</b> Before anything is created, {@link Builder#start()} checks everything it was
 * given: the kubeconfig and the context (the client is pinned to that context and never follows a change of the
 * current one), the namespace (the cluster's own, {@code kube-system}, {@code kube-public} and
 * {@code kube-node-lease}, are refused unless listed by name with {@link Builder#allowNamespace(String...)}), and
 * every object of the manifests: only the namespaced kinds a system is made of, only in the namespaces given. Every
 * object it creates carries the label {@value #MANAGED_BY_LABEL}{@code =gameday} and the label {@value #RUN_LABEL}
 * (one id per start), and a namespace it had to create is deleted again on close; one that was there is kept.
 * Credentials come from the kubeconfig only and never appear in messages, logs or reports.
 *
 * <p><b>Ready</b> means what the API says: every deployed workload's Ready condition (fabric8's readiness), every
 * target Service with a ready endpoint, and the entry point's readiness path answering 2xx through its forward.
 */
public final class KubernetesEnvironment implements Environment {

    /** The label every object Gameday creates carries, with the value {@code gameday}. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    /** The label naming the start that created an object. */
    public static final String RUN_LABEL = "gameday.dev/run";
    /** How long {@link Builder#start()} waits for the system to be ready unless told otherwise. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(3);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KubernetesEnvironment.class);
    private static final Duration DELETE_TIMEOUT = Duration.ofMinutes(2);
    /** One client for every readiness check (each builds its own request timeout); the start polls twice a second. */
    private static final HttpClient READINESS_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String name;
    private final String context;
    private final BlastRadius radius;
    private final KubernetesClient client;
    private final String runId;
    private final List<HasMetadata> created = new ArrayList<>();
    private final Map<String, ServiceForward> forwards = new LinkedHashMap<>();
    private final List<Target> targets = new ArrayList<>();
    private final Map<String, Map<String, String>> selectors = new LinkedHashMap<>();
    private final String entryPoint;
    private final String readinessPath;
    private boolean createdNamespace;
    private boolean closed;

    private KubernetesEnvironment(Builder builder, Config config, List<HasMetadata> objects, BlastRadius radius) {
        this.name = builder.name;
        this.context = config.getCurrentContext() == null ? "" : config.getCurrentContext().getName();
        this.radius = radius;
        this.client = new KubernetesClientBuilder().withConfig(config).build();
        this.runId = UUID.randomUUID().toString().substring(0, 8);
        this.entryPoint = builder.entryPoint;
        this.readinessPath = builder.readinessPath;
        try {
            deploy(objects, builder.readyTimeout);
            for (ServiceSpec spec : builder.services.values()) {
                open(spec, builder.readyTimeout);
            }
            awaitEntryPoint(builder.readyTimeout);
        } catch (RuntimeException | IOException e) {
            close();
            if (e instanceof KubernetesClientException k) {
                throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "' (context '"
                        + context + "', namespace '" + radius.namespace() + "') did not start: the API server"
                        + " answered " + k.getCode() + " " + k.getMessage() + ". Check that the context's user may"
                        + " do this in that namespace (see the RBAC manifest in the README).", e);
            }
            if (e instanceof IOException) {
                throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "' did not start: "
                        + e.getMessage(), e);
            }
            throw (RuntimeException) e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The demo trading system's manifests, in the order they are applied (resources of this jar). */
    public static final List<String> DEMO_MANIFESTS = List.of("10-datastores.yaml", "20-exchange.yaml",
            "30-api.yaml");

    /**
     * The bundled demo trading system, deployed from the manifests this jar ships ({@link #DEMO_MANIFESTS}): the
     * order service {@code api} (the entry point, ready on {@code /health/ready}), {@code redis}, {@code postgres}
     * (with the service's credentials, for faults in its protocol) and the exchange simulator {@code exchange}
     * (WireMock), as in containers. Give it a namespace and, unless the default kubeconfig is right, a kubeconfig.
     *
     * <pre>{@code
     * try (KubernetesEnvironment demo = KubernetesEnvironment.demoTradingSystem().namespace("gameday-demo").start()) {
     *     URI api = demo.entryPoint().endpoint().uri("http");
     * }
     * }</pre>
     */
    public static Builder demoTradingSystem() {
        Builder builder = new Builder().name("demo-trading-system");
        for (String file : DEMO_MANIFESTS) {
            String resource = "dev/gameday/environments/kubernetes/demo/" + file;
            builder.sources.add(new Source("classpath:" + resource,
                    () -> KubernetesEnvironment.class.getClassLoader().getResourceAsStream(resource)));
        }
        return builder.service("api", 8080, Protocol.HTTP)
                .service("redis", 6379, Protocol.REDIS)
                .service("postgres", 5432, Protocol.POSTGRES,
                        t -> t.withCredentials(new Credentials("trading", "trading", "trading")))
                .service("exchange", 8080, Protocol.HTTP, Target::asHttpSimulator)
                .entryPoint("api", "/health/ready");
    }

    /** A manifest to read: a file, or a resource of this jar. */
    private record Source(String name, IoSupplier open) {
    }

    @FunctionalInterface
    private interface IoSupplier {
        InputStream get() throws IOException;
    }

    @Override
    public String name() {
        return name;
    }

    /** The context the client is pinned to. */
    public String context() {
        return context;
    }

    /** The namespace it works in. */
    public String namespace() {
        return radius.namespace();
    }

    /** The id of this start, the value of {@value #RUN_LABEL} on what it created. */
    public String runId() {
        return runId;
    }

    /** The fabric8 client, pinned to {@link #context()}; faults of this environment use it. */
    public KubernetesClient client() {
        return client;
    }

    /** The labels of the pods behind a target's Service, its selector. */
    public Map<String, String> podSelector(String target) {
        Map<String, String> selector = selectors.get(target);
        if (selector == null) {
            throw new IllegalArgumentException("Kubernetes environment '" + name + "' has no target '" + target
                    + "'; it has " + selectors.keySet() + ".");
        }
        return selector;
    }

    @Override
    public List<Target> targets() {
        return Collections.unmodifiableList(targets);
    }

    @Override
    public Target entryPoint() {
        return target(entryPoint);
    }

    @Override
    public void checkHealthy() {
        for (Map.Entry<String, ServiceForward> forward : forwards.entrySet()) {
            if (forward.getValue().readyPods().isEmpty()) {
                throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "': Service '"
                        + forward.getKey() + "' in namespace '" + namespace() + "' has no ready pod.");
            }
        }
        try {
            int status = readinessStatus(Duration.ofSeconds(5));
            if (status / 100 != 2) {
                throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "': the entry point's"
                        + " readiness path " + readinessPath + " answered " + status + ".");
            }
        } catch (IOException e) {
            throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "': the entry point's"
                    + " readiness path " + readinessPath + " did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Tells the listener about the target pods' containers that die, start again or are OOM-killed, from the API's
     * pod statuses (restart counts and last termination states), until the handle is closed.
     */
    @Override
    public AutoCloseable watch(Consumer<TargetEvent> listener) {
        return PodEvents.watch(client, namespace(), selectors, listener);
    }

    /** Writes each target pod's log ({@code <pod>.log}, the previous container's too) and the namespace's events. */
    @Override
    public void saveLogs(Path directory) {
        try {
            Files.createDirectories(directory);
            Set<String> written = new LinkedHashSet<>();
            for (Map<String, String> selector : selectors.values()) {
                for (Pod pod : client.pods().inNamespace(namespace()).withLabels(selector).list().getItems()) {
                    String podName = pod.getMetadata().getName();
                    if (written.add(podName)) {
                        Files.writeString(directory.resolve(podName + ".log"), podLog(podName));
                    }
                }
            }
            StringBuilder events = new StringBuilder();
            client.v1().events().inNamespace(namespace()).list().getItems().forEach(event -> events
                    .append(event.getLastTimestamp()).append(' ').append(event.getType()).append(' ')
                    .append(event.getReason()).append(' ').append(event.getInvolvedObject().getKind()).append('/')
                    .append(event.getInvolvedObject().getName()).append(": ").append(event.getMessage())
                    .append('\n'));
            Files.writeString(directory.resolve("events.log"), events);
        } catch (IOException | KubernetesClientException e) {
            LOG.warn("could not save the logs of '{}': {}", name, e.toString());
        }
    }

    private String podLog(String podName) {
        StringBuilder log = new StringBuilder();
        try {
            String previous = client.pods().inNamespace(namespace()).withName(podName).terminated().getLog();
            if (previous != null && !previous.isEmpty()) {
                log.append("--- previous container ---\n").append(previous).append("--- current container ---\n");
            }
        } catch (KubernetesClientException e) {
            // no previous container
        }
        try {
            log.append(client.pods().inNamespace(namespace()).withName(podName).getLog());
        } catch (KubernetesClientException e) {
            log.append("(no log: ").append(e.getMessage()).append(")\n");
        }
        return log.toString();
    }

    /**
     * Closes the forwards and deletes what this start created, in reverse order, waiting until it is gone (a
     * namespace it created last); an attached system is left as it was. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        forwards.values().forEach(ServiceForward::close);
        List<HasMetadata> reversed = new ArrayList<>(created);
        Collections.reverse(reversed);
        for (HasMetadata object : reversed) {
            try {
                client.resource(object).inNamespace(namespace()).withPropagationPolicy(DeletionPropagation.FOREGROUND)
                        .delete();
            } catch (KubernetesClientException e) {
                LOG.warn("could not delete {} '{}': {}", object.getKind(), object.getMetadata().getName(), e.toString());
            }
        }
        for (HasMetadata object : reversed) {
            try {
                client.resource(object).inNamespace(namespace())
                        .waitUntilCondition(Objects::isNull, DELETE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.warn("{} '{}' still there after {}: {}", object.getKind(), object.getMetadata().getName(),
                        DELETE_TIMEOUT, e.toString());
            }
        }
        if (createdNamespace) {
            try {
                client.namespaces().withName(namespace()).delete();
            } catch (KubernetesClientException e) {
                LOG.warn("could not delete namespace '{}': {}", namespace(), e.toString());
            }
        }
        client.close();
    }

    /**
     * Whether the namespace is there. An identity with rights in the namespace only (the README's Role) may not read
     * the namespace object itself: that answer (403) counts as there, and what follows shows otherwise.
     */
    private boolean namespaceExists() {
        try {
            return client.namespaces().withName(namespace()).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return true;
            }
            throw e;
        }
    }

    private void deploy(List<HasMetadata> objects, Duration timeout) {
        if (objects.isEmpty()) {
            if (!namespaceExists()) {
                throw new IllegalArgumentException("Kubernetes environment '" + name + "': namespace '" + namespace()
                        + "' does not exist in context '" + context + "', and there are no manifests to deploy there."
                        + " Check the namespace, or give the manifests (manifests(..)).");
            }
            return;
        }
        if (!namespaceExists()) {
            Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(namespace())
                    .addToLabels(MANAGED_BY_LABEL, "gameday").addToLabels(RUN_LABEL, runId).endMetadata().build();
            client.namespaces().resource(namespace).create();
            createdNamespace = true;
        }
        for (HasMetadata object : objects) {
            object.getMetadata().setNamespace(namespace());
            Map<String, String> labels = new LinkedHashMap<>(object.getMetadata().getLabels() == null ? Map.of()
                    : object.getMetadata().getLabels());
            labels.put(MANAGED_BY_LABEL, "gameday");
            labels.put(RUN_LABEL, runId);
            object.getMetadata().setLabels(labels);
            client.resource(object).inNamespace(namespace()).fieldManager("gameday").forceConflicts()
                    .serverSideApply();
            created.add(object);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (HasMetadata object : objects) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()));
            try {
                client.resource(object).inNamespace(namespace()).waitUntilReady(left, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "': "
                        + object.getKind() + " '" + object.getMetadata().getName() + "' in namespace '" + namespace()
                        + "' was not ready within " + timeout.toSeconds() + " s" + notReadyDetail(object) + ".", e);
            }
        }
    }

    /** What the pods of a workload say about why they are not ready: their containers' waiting reasons. */
    private String notReadyDetail(HasMetadata object) {
        Map<String, String> selector = podSelectorOf(object);
        if (selector.isEmpty()) {
            return "";
        }
        List<String> facts = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace()).withLabels(selector).list().getItems()) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            pod.getStatus().getContainerStatuses().forEach(status -> {
                if (status.getState() != null && status.getState().getWaiting() != null) {
                    facts.add("pod " + pod.getMetadata().getName() + ": " + status.getState().getWaiting().getReason()
                            + Optional.ofNullable(status.getState().getWaiting().getMessage()).map(m -> " (" + m + ")")
                                    .orElse(""));
                }
            });
        }
        return facts.isEmpty() ? "" : ": " + String.join("; ", facts);
    }

    /** The labels a workload selects its pods by; empty for an object that has no pods of its own. */
    private static Map<String, String> podSelectorOf(HasMetadata object) {
        LabelSelector selector = object instanceof Deployment d ? d.getSpec().getSelector()
                : object instanceof StatefulSet s ? s.getSpec().getSelector()
                : object instanceof DaemonSet ds ? ds.getSpec().getSelector()
                : object instanceof ReplicaSet rs ? rs.getSpec().getSelector() : null;
        return selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    }

    private void open(ServiceSpec spec, Duration timeout) throws IOException {
        Service service = client.services().inNamespace(namespace()).withName(spec.name).get();
        if (service == null) {
            throw new IllegalArgumentException("Kubernetes environment '" + name + "': target '" + spec.name
                    + "' is Service '" + spec.name + "', which is not in namespace '" + namespace() + "'. Check the"
                    + " manifests, or the namespace.");
        }
        Map<String, String> selector = service.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            throw new IllegalArgumentException("Kubernetes environment '" + name + "': Service '" + spec.name
                    + "' has no selector, so Gameday cannot tell which pods are behind it. Give it a selector.");
        }
        selectors.put(spec.name, Map.copyOf(selector));
        ServiceForward forward = ServiceForward.open(client, namespace(), spec.name, spec.port);
        forwards.put(spec.name, forward);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (forward.readyPods().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new EnvironmentUnavailableException("Kubernetes environment '" + name + "': Service '"
                        + spec.name + "' in namespace '" + namespace() + "' had no ready pod within "
                        + timeout.toSeconds() + " s.");
            }
            sleep(Duration.ofMillis(250));
        }
        Target target = new Target(spec.name, spec.protocol, new Endpoint("127.0.0.1", forward.localPort()),
                Optional.empty(), Optional.empty());
        targets.add(spec.refine.apply(target));
        if (spec.name.equals(entryPoint)) {
            targets.add(0, targets.remove(targets.size() - 1));
        }
    }

    private void awaitEntryPoint(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                int status = readinessStatus(Duration.ofSeconds(5));
                if (status / 100 == 2) {
                    return;
                }
                last = "status " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IOException("the entry point '" + entryPoint + "' did not answer 2xx on " + readinessPath
                + " within " + timeout.toSeconds() + " s (last: " + last + ")");
    }

    private int readinessStatus(Duration timeout) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + forwards.get(entryPoint).localPort() + readinessPath);
        try {
            return READINESS_CLIENT.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentUnavailableException("interrupted while waiting for the Kubernetes environment", e);
        }
    }

    private record ServiceSpec(String name, int port, Protocol protocol, UnaryOperator<Target> refine) {
    }

    /**
     * What {@link KubernetesEnvironment} is to run against, checked whole by {@link #start()} before anything is
     * created.
     *
     * <pre>{@code
     * KubernetesEnvironment.Builder builder = KubernetesEnvironment.builder().namespace("trading")
     *         .service("api", 8080, Protocol.HTTP).entryPoint("api", "/health/ready");
     * }</pre>
     */
    public static final class Builder {
        private String name = "kubernetes";
        private Path kubeconfig;
        private String context;
        private String namespace;
        private final Set<String> allowed = new LinkedHashSet<>();
        private final List<Path> manifests = new ArrayList<>();
        private final List<Source> sources = new ArrayList<>();
        private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
        private String entryPoint;
        private String readinessPath = "/";
        private Duration readyTimeout = DEFAULT_READY_TIMEOUT;

        private Builder() {
        }

        /** For reports; {@code kubernetes} unless told. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The kubeconfig file; default {@code $KUBECONFIG} (its first file), then {@code ~/.kube/config}. */
        public Builder kubeconfig(Path file) {
            this.kubeconfig = Objects.requireNonNull(file, "file");
            return this;
        }

        /** The kubeconfig's context to use; default its current context. The client never follows a change. */
        public Builder context(String context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The namespace to work in: required, never assumed. */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /** Further namespaces the experiment may touch; the cluster's own ({@code kube-system}..) only so. */
        public Builder allowNamespace(String... namespaces) {
            allowed.addAll(List.of(namespaces));
            return this;
        }

        /** Manifest files ({@code .yaml}, {@code .yml}, {@code .json}, several documents each) or directories. */
        public Builder manifests(Path... paths) {
            manifests.addAll(List.of(paths));
            return this;
        }

        /** A Service of the system as a target of the same name, reached on {@code port}. */
        public Builder service(String name, int port, Protocol protocol) {
            return service(name, port, protocol, UnaryOperator.identity());
        }

        /**
         * A Service as a target, refined once it is known, for example with credentials:
         * {@code service("postgres", 5432, Protocol.POSTGRES, t -> t.withCredentials(credentials))}.
         */
        public Builder service(String name, int port, Protocol protocol, UnaryOperator<Target> refine) {
            Objects.requireNonNull(name, "name");
            if (services.containsKey(name)) {
                throw new IllegalArgumentException("Kubernetes environment: service '" + name + "' is declared twice;"
                        + " declare each target once.");
            }
            services.put(name, new ServiceSpec(name, port, Objects.requireNonNull(protocol, "protocol"),
                    Objects.requireNonNull(refine, "refine")));
            return this;
        }

        /** Where load goes, ready once {@code readinessPath} answers 2xx through its forward. */
        public Builder entryPoint(String name, String readinessPath) {
            this.entryPoint = Objects.requireNonNull(name, "name");
            this.readinessPath = Objects.requireNonNull(readinessPath, "readinessPath");
            return this;
        }

        /** How long to wait for the system to be ready; {@value} unless told. */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Checks everything given (kubeconfig, context, namespaces, every object of the manifests, the targets),
         * then deploys, and returns once the system is ready.
         *
         * @throws IllegalArgumentException      when anything given is wrong, before anything is created
         * @throws EnvironmentUnavailableException when the cluster refuses or the system is not ready in time;
         *                                       what was created is deleted again
         */
        public KubernetesEnvironment start() {
            if (services.isEmpty()) {
                throw new IllegalArgumentException("Kubernetes environment: expected at least one service(..) as a"
                        + " target, but none was declared.");
            }
            if (entryPoint == null || !services.containsKey(entryPoint)) {
                throw new IllegalArgumentException("Kubernetes environment: expected the entry point to be one of"
                        + " the declared services " + services.keySet() + ", but found "
                        + (entryPoint == null ? "none" : "'" + entryPoint + "'") + ". Declare it with"
                        + " entryPoint(\"<service>\", \"<readiness path>\").");
            }
            BlastRadius radius = BlastRadius.of(namespace, allowed);
            Config config = config();
            List<HasMetadata> objects = load(radius);
            return new KubernetesEnvironment(this, config, objects, radius);
        }

        private Config config() {
            Path file = kubeconfig != null ? kubeconfig : defaultKubeconfig();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("Kubernetes environment: expected a kubeconfig at " + file
                        + ", but there is no readable file there. Give one with kubeconfig(..) (or set KUBECONFIG),"
                        + " or start the bundled cluster: scripts/cluster/cluster.sh start.");
            }
            Config config;
            try {
                config = Config.fromKubeconfig(context, file.toFile());
            } catch (KubernetesClientException | IllegalArgumentException e) {
                throw new IllegalArgumentException("Kubernetes environment: kubeconfig " + file + " could not be read"
                        + (context == null ? "" : " for context '" + context + "'") + ": " + e.getMessage()
                        + ". Check the file and the context name (kubectl config get-contexts).", e);
            }
            if (config.getCurrentContext() == null || context != null
                    && !context.equals(config.getCurrentContext().getName())) {
                throw new IllegalArgumentException("Kubernetes environment: kubeconfig " + file + " has no context '"
                        + context + "'. List them with: kubectl --kubeconfig " + file + " config get-contexts.");
            }
            config.setNamespace(namespace);
            return config;
        }

        private static Path defaultKubeconfig() {
            String env = System.getenv("KUBECONFIG");
            if (env != null && !env.isBlank()) {
                return Path.of(env.split(java.io.File.pathSeparator)[0]);
            }
            return Path.of(System.getProperty("user.home"), ".kube", "config");
        }

        private List<HasMetadata> load(BlastRadius radius) {
            List<HasMetadata> objects = new ArrayList<>();
            List<Source> all = new ArrayList<>(sources);
            for (Path file : manifestFiles()) {
                all.add(new Source(file.toString(), () -> Files.newInputStream(file)));
            }
            for (Source source : all) {
                String path = source.name();
                List<HasMetadata> items;
                try (InputStream in = source.open().get()) {
                    Object parsed = Serialization.unmarshal(in);
                    items = parsed instanceof List<?> list ? list.stream().map(HasMetadata.class::cast).toList()
                            : parsed == null ? List.of() : List.of((HasMetadata) parsed);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("Kubernetes environment: manifest " + path + " could not be"
                            + " read: " + e.getMessage() + ". Expected YAML or JSON Kubernetes objects.", e);
                }
                for (HasMetadata item : items) {
                    if (item == null) {
                        continue;
                    }
                    if (item.getMetadata() == null || item.getMetadata().getName() == null) {
                        throw new IllegalArgumentException("Kubernetes environment: manifest " + path + " holds a "
                                + item.getKind() + " without metadata.name; every object needs a name.");
                    }
                    radius.checkObject(item.getKind(), item.getApiVersion(), item.getMetadata().getNamespace(),
                            item.getMetadata().getName());
                    objects.add(item);
                }
            }
            return objects;
        }

        private List<Path> manifestFiles() {
            List<Path> files = new ArrayList<>();
            for (Path path : manifests) {
                if (Files.isDirectory(path)) {
                    try (Stream<Path> listed = Files.list(path)) {
                        listed.filter(p -> p.toString().matches(".*\\.(ya?ml|json)")).sorted().forEach(files::add);
                    } catch (IOException e) {
                        throw new IllegalArgumentException("Kubernetes environment: manifest directory " + path
                                + " could not be listed: " + e.getMessage(), e);
                    }
                } else if (Files.isRegularFile(path)) {
                    files.add(path);
                } else {
                    throw new IllegalArgumentException("Kubernetes environment: expected a manifest file or"
                            + " directory at " + path + ", but found nothing there.");
                }
            }
            return files;
        }
    }
}
