package dev.gameday.environments.kubernetes.internal;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A port on loopback that forwards each connection to a ready pod behind a Service, through the API server's
 * port-forward (the same path as {@code kubectl port-forward}): the harness reaches a service of any cluster, local or
 * remote, without a NodePort, an ingress or a route off the machine. Unlike {@code kubectl port-forward svc/..}, which
 * picks one pod when it starts, every new connection picks again among the pods ready at that moment (round robin),
 * so that a deleted pod's replacement is reached once it is ready.
 *
 * <pre>{@code
 * try (ServiceForward forward = ServiceForward.open(client, "trading", "api", 8080)) {
 *     URI api = URI.create("http://127.0.0.1:" + forward.localPort());
 * }
 * }</pre>
 */
public final class ServiceForward implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceForward.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String service;
    private final ServicePort servicePort;
    private final ServerSocketChannel listener;
    private final Thread acceptor;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final ExecutorService streams;
    private final SharedIndexInformer<EndpointSlice> endpointSlices;
    private volatile boolean closed;

    private ServiceForward(KubernetesClient client, String namespace, String service, ServicePort servicePort)
            throws IOException {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
        this.servicePort = servicePort;
        this.endpointSlices = client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service).inform();
        this.streams = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "gameday-forward-" + service);
            thread.setDaemon(true);
            return thread;
        });
        this.listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.acceptor = new Thread(this::accept, "gameday-forward-" + service + "-" + servicePort.getPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Listens on {@code 127.0.0.1} at a free port for the Service's {@code port}.
     *
     * @throws IllegalArgumentException when the Service is not there or has no such port, saying which it has
     */
    public static ServiceForward open(KubernetesClient client, String namespace, String service, int port)
            throws IOException {
        Service found = client.services().inNamespace(namespace).withName(service).get();
        if (found == null) {
            throw new IllegalArgumentException("Kubernetes environment: no Service '" + service + "' in namespace '"
                    + namespace + "'. Check the name, or the manifests that should create it.");
        }
        List<ServicePort> ports = found.getSpec().getPorts() == null ? List.of() : found.getSpec().getPorts();
        ServicePort servicePort = ports.stream().filter(p -> Objects.equals(p.getPort(), port)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Kubernetes environment: Service '" + service
                        + "' in namespace '" + namespace + "' has no port " + port + "; it has "
                        + ports.stream().map(ServicePort::getPort).toList() + "."));
        return new ServiceForward(client, namespace, service, servicePort);
    }

    /** The port on {@code 127.0.0.1}. */
    public int localPort() {
        return listener.socket().getLocalPort();
    }

    /**
     * The pods ready to take a connection now, as {@code pod:port}, from the Service's EndpointSlices as an informer
     * keeps them (a watch: no request per connection, and a pod that stops being ready is left out at once).
     */
    public List<PodPort> readyPods() {
        List<PodPort> ready = new ArrayList<>();
        List<EndpointSlice> slices = endpointSlices.getStore().list();
        String portName = servicePort.getName() == null ? "" : servicePort.getName();
        for (EndpointSlice slice : slices) {
            Integer number = slice.getPorts() == null ? null : slice.getPorts().stream()
                    .filter(p -> Objects.equals(p.getName() == null ? "" : p.getName(), portName))
                    .map(EndpointPort::getPort).filter(Objects::nonNull).findFirst().orElse(null);
            if (number == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                boolean isReady = endpoint.getConditions() == null
                        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
                if (isReady && endpoint.getTargetRef() != null && "Pod".equals(endpoint.getTargetRef().getKind())) {
                    ready.add(new PodPort(endpoint.getTargetRef().getName(), number));
                }
            }
        }
        return ready;
    }

    /** How many connections were closed at once because no pod was ready. */
    public long refused() {
        return refused.get();
    }

    /** A pod and the container port a Service port leads to. */
    public record PodPort(String pod, int port) {
    }

    private void accept() {
        while (!closed) {
            SocketChannel connection;
            try {
                connection = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("forward to service {}: accept failed: {}", service, e.toString());
                }
                return;
            }
            streams.execute(() -> forward(connection));
        }
    }

    private void forward(SocketChannel connection) {
        open.add(connection);
        try {
            List<PodPort> ready = readyPods();
            if (ready.isEmpty()) {
                refused.incrementAndGet();
                connection.close();
                return;
            }
            PodPort target = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
            try (PortForward stream = client.pods().inNamespace(namespace).withName(target.pod())
                    .portForward(target.port(), connection, connection)) {
                while (stream.isAlive() && connection.isOpen() && !closed) {
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            if (!closed) {
                LOG.debug("forward to service {}: {}", service, e.toString());
            }
        } finally {
            open.remove(connection);
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        streams.shutdown();
        endpointSlices.close();
        for (SocketChannel connection : open) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
