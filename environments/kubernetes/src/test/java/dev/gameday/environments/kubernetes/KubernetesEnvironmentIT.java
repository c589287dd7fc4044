package dev.gameday.environments.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gameday.environments.Capability;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo trading system deployed from its manifests into a real cluster (the bundled one in CI:
 * {@code scripts/cluster/cluster.sh}), reached through the loopback forwards, watched through the API, and deleted
 * again with its namespace. Needs {@code -Dgameday.kubeconfig=<file>} and the demo's images in the cluster.
 */
class KubernetesEnvironmentIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Path kubeconfig;

    @TempDir
    Path logs;

    @BeforeAll
    static void cluster() {
        String file = System.getProperty("gameday.kubeconfig");
        assertThat(file).as("-Dgameday.kubeconfig: the cluster to test against (scripts/test passes the bundled one)")
                .isNotBlank();
        kubeconfig = Path.of(file);
    }

    @Test
    void theDemoSystemIsDeployedReachedWatchedAndDeletedAgain() throws Exception {
        String namespace = "gameday-it-" + UUID.randomUUID().toString().substring(0, 6);
        KubernetesEnvironment demo = KubernetesEnvironment.demoTradingSystem().kubeconfig(kubeconfig)
                .namespace(namespace).start();
        String runId = demo.runId();
        try {
            assertThat(demo.targets()).extracting(Target::name).containsExactly("api", "redis", "postgres",
                    "exchange");
            assertThat(demo.entryPoint().endpoint().host()).isEqualTo("127.0.0.1");
            assertThat(demo.target("postgres").capabilities()).contains(Capability.DATASTORE);
            assertThat(demo.target("exchange").capabilities()).contains(Capability.HTTP_SIMULATOR);
            assertThat(demo.client().pods().inNamespace(namespace).list().getItems()).isNotEmpty();
            assertThat(demo.client().apps().deployments().inNamespace(namespace).withName("api").get()
                    .getMetadata().getLabels()).containsEntry(KubernetesEnvironment.MANAGED_BY_LABEL, "gameday")
                    .containsEntry(KubernetesEnvironment.RUN_LABEL, runId);

            URI api = demo.entryPoint().endpoint().uri("http");
            assertThat(get(api.resolve("/health/ready"))).isEqualTo(200);
            HttpResponse<String> order = HTTP.send(HttpRequest.newBuilder(api.resolve("/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\","
                            + "\"side\":\"BUY\",\"quantity\":0.01,\"price\":100.00}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(order.statusCode()).as(order.body()).isBetween(200, 299);
            demo.checkHealthy();

            // a pod deleted: the watch says so, and the forward reaches the replacement once it is ready
            List<TargetEvent> events = new CopyOnWriteArrayList<>();
            try (AutoCloseable watch = demo.watch(events::add)) {
                Pod before = demo.client().pods().inNamespace(namespace).withLabels(demo.podSelector("api")).list()
                        .getItems().get(0);
                demo.client().pods().inNamespace(namespace).withName(before.getMetadata().getName())
                        .withGracePeriod(0).delete();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(events)
                        .anySatisfy(e -> assertThat(e.target()).isEqualTo("api")));
                // until then the forward has no ready pod and closes each connection at once
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(get(api.resolve("/health/ready"))).isEqualTo(200));
                Pod after = demo.client().pods().inNamespace(namespace).withLabels(demo.podSelector("api")).list()
                        .getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst()
                        .orElseThrow();
                assertThat(after.getMetadata().getName()).isNotEqualTo(before.getMetadata().getName());
            }
            demo.saveLogs(logs);
            try (var files = Files.list(logs)) {
                assertThat(files.map(p -> p.getFileName().toString())).contains("events.log")
                        .anySatisfy(name -> assertThat(name).startsWith("api-").endsWith(".log"));
            }
        } finally {
            demo.close();
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(null, kubeconfig.toFile())).build()) {
                assertThat(client.namespaces().withName(namespace).get()).as("namespace " + namespace).isNull();
            }
        });
        assertThatThrownBy(() -> get(demo.entryPoint().endpoint().uri("http").resolve("/health/ready")))
                .as("the forward is closed").isInstanceOf(java.io.IOException.class);
    }

    private static int get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
