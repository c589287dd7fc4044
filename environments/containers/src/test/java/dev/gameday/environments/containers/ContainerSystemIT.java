package dev.gameday.environments.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.images.Images;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A tiny system on the real Docker engine: two Redis servers on the same port, both proxied (so two Toxiproxy
 * containers), and a client container on the same network that reaches them by their plain names, as an application
 * configured for {@code redis:6379} would.
 */
class ContainerSystemIT {

    private static final String READY = ".*Ready to accept connections.*";
    private static final Duration LATENCY = Duration.ofMillis(1000);

    @TempDir
    Path logs;

    @Test
    void theApplicationsNameForAServiceReachesItThroughToxiproxyAndCloseLeavesNothingBehind() throws Exception {
        GenericContainer<?> client = new GenericContainer<>(Images.REDIS).withCommand("sleep", "infinity");
        long startedAt = System.nanoTime();
        ContainerSystem system = ContainerSystem.named("tiny")
                .service("redis", Images.REDIS).port(6379, Protocol.REDIS).waitingForLog(READY)
                .service("sessions", Images.REDIS).port(6379, Protocol.REDIS).waitingForLog(READY)
                .service("client", client).dependsOn("redis", "sessions")
                .proxied("redis", "sessions")
                .entryPoint("redis")
                .start();
        System.out.printf("ContainerSystemIT: started in %d ms%n", (System.nanoTime() - startedAt) / 1_000_000);
        DockerClient docker = DockerClientFactory.instance().client();
        String run = docker.inspectContainerCmd(system.entryPoint().containerId().orElseThrow()).exec()
                .getConfig().getLabels().get("dev.gameday.run");
        try {
            assertThat(system.targets()).extracting(Target::name).containsExactly("redis", "sessions");
            NetworkLink redis = system.target("redis").link().orElseThrow();
            NetworkLink sessions = system.target("sessions").link().orElseThrow();
            assertThat(redis.proxyName()).isEqualTo("redis");
            assertThat(redis.toxiproxyApi()).as("both listen on 6379: a Toxiproxy container each")
                    .isNotEqualTo(sessions.toxiproxyApi());
            assertThat(docker.inspectContainerCmd(client.getContainerId()).exec().getConfig().getLabels())
                    .as("a container given ready gets the system's labels").containsEntry("dev.gameday.run", run)
                    .containsEntry("dev.gameday.environment", "tiny");

            long before = bytesFromClients(redis);
            assertThat(run(client, "redis-cli", "-h", "redis", "-p", "6379", "ping")).isEqualTo("PONG");
            await("Toxiproxy's counter of bytes into proxy 'redis' rises above " + before)
                    .atMost(Duration.ofSeconds(10)).until(() -> bytesFromClients(redis), bytes -> bytes > before);
            long afterProxied = bytesFromClients(redis);
            assertThat(run(client, "redis-cli", "-h", "redis-upstream", "-p", "6379", "ping"))
                    .as("the real Redis answers under redis-upstream").isEqualTo("PONG");
            Thread.sleep(500);
            assertThat(bytesFromClients(redis)).as("redis-upstream bypasses the proxy").isEqualTo(afterProxied);
            assertThat(run(client, "redis-cli", "-h", "redis", "-p", "6379", "set", "k", "through-the-proxy"))
                    .isEqualTo("OK");
            assertThat(run(client, "redis-cli", "-h", "redis-upstream", "-p", "6379", "get", "k"))
                    .as("the proxy forwards to that very Redis").isEqualTo("through-the-proxy");

            Endpoint api = redis.toxiproxyApi();
            new ToxiproxyClient(api.host(), api.port()).getProxy("redis").toxics()
                    .latency("gameday-test-latency", ToxicDirection.DOWNSTREAM, LATENCY.toMillis());
            long slowed = pingMillis(client, "redis");
            long direct = pingMillis(client, "redis-upstream");
            long otherProxy = pingMillis(client, "sessions");
            System.out.printf("ContainerSystemIT: PING with a %d ms latency toxic on 'redis': through redis %d ms,"
                    + " redis-upstream %d ms, sessions %d ms%n", LATENCY.toMillis(), slowed, direct, otherProxy);
            assertThat(slowed).as("PING through the proxy with the latency toxic").isGreaterThanOrEqualTo(LATENCY.toMillis());
            assertThat(direct).as("PING past the proxy").isLessThan(LATENCY.toMillis() / 2);
            assertThat(otherProxy).as("PING through the other Toxiproxy").isLessThan(LATENCY.toMillis() / 2);

            system.checkHealthy(); // every container runs
            system.saveLogs(logs);
            assertThat(logs).isDirectoryContaining("glob:**/redis.log").isDirectoryContaining("glob:**/sessions.log")
                    .isDirectoryContaining("glob:**/client.log").isDirectoryContaining("glob:**/toxiproxy.log")
                    .isDirectoryContaining("glob:**/toxiproxy-2.log");
            assertThat(Files.readString(logs.resolve("redis.log"))).contains("Ready to accept connections");

            String stopped = system.target("sessions").containerId().orElseThrow();
            docker.stopContainerCmd(stopped).withTimeout(1).exec();
            assertThatThrownBy(system::checkHealthy).isInstanceOf(EnvironmentUnavailableException.class)
                    .hasMessageStartingWith("System 'tiny' is not healthy: service 'sessions' (container "
                            + stopped.substring(0, 12) + "): expected running, found exited (exit code ");
        } finally {
            assertThat(containers(docker, run)).as("containers of run %s before close", run)
                    .hasSize(3 + 2 + 2); // services, Toxiproxy containers, their sidecars
            assertThat(networks(docker, run)).hasSize(1);
            closeFromTwoThreadsAtOnce(system, docker, run);
        }
    }

    @Test
    void anImageMissingFromTheEngineIsNamedBeforeAnythingStarts() {
        DockerClient docker = DockerClientFactory.instance().client();
        ContainerSystem.Builder builder = ContainerSystem.named("missing-image")
                .service("redis", Images.REDIS).port(6379, Protocol.REDIS)
                .service("quotes", DockerImageName.parse("example/not-built-here:1")).port(8000, Protocol.HTTP)
                .proxied("redis")
                .entryPoint("quotes", "/health");

        assertThatThrownBy(builder::start).isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessage("Expected every image in the local Docker engine before anything starts (nothing is"
                        + " pulled), but 1 is missing:\n  - service 'quotes': image example/not-built-here:1 is not in"
                        + " the local Docker engine, and scripts/build-images.sh does not provide it. Build it (docker"
                        + " build -t example/not-built-here:1 <dir>), load it (docker load -i <file>.tar), or pull it"
                        + " where a registry is reachable (docker pull example/not-built-here:1)");
        assertThat(docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dev.gameday.environment", "missing-image")).exec())
                .as("no container was created").isEmpty();
    }

    /** Each caller of close() returns only once everything is gone, whichever of them did the work. */
    private static void closeFromTwoThreadsAtOnce(ContainerSystem system, DockerClient docker, String run) {
        CountDownLatch go = new CountDownLatch(1);
        long closingAt = System.nanoTime();
        List<CompletableFuture<List<String>>> callers = new ArrayList<>();
        for (int caller = 0; caller < 2; caller++) {
            callers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                system.close();
                List<String> left = new ArrayList<>(containers(docker, run));
                left.addAll(networks(docker, run));
                return left;
            }));
        }
        go.countDown();
        for (CompletableFuture<List<String>> caller : callers) {
            assertThat(caller.join()).as("containers and networks of run %s left when close() returned", run).isEmpty();
        }
        System.out.printf("ContainerSystemIT: closed in %d ms%n", (System.nanoTime() - closingAt) / 1_000_000);
        system.close(); // idempotent
    }

    private static List<String> containers(DockerClient docker, String run) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("dev.gameday.run", run)).exec()
                .stream().map(container -> container.getId()).toList();
    }

    private static List<String> networks(DockerClient docker, String run) {
        return docker.listNetworksCmd().exec().stream()
                .filter(network -> network.getLabels() != null && run.equals(network.getLabels().get("dev.gameday.run")))
                .map(network -> network.getId()).toList();
    }

    private static String run(GenericContainer<?> container, String... command) throws Exception {
        ExecResult result = container.execInContainer(command);
        assertThat(result.getExitCode()).as("%s: %s", String.join(" ", command), result.getStderr()).isZero();
        return result.getStdout().strip();
    }

    /** One redis-cli PING from inside the client container, timed there (docker exec's own overhead left out). */
    private static long pingMillis(GenericContainer<?> client, String host) throws Exception {
        String script = "s=$(date +%s%N); r=$(redis-cli -h " + host + " -p 6379 ping); e=$(date +%s%N);"
                + " [ \"$r\" = PONG ] && echo $(( (e - s) / 1000000 ))";
        return Long.parseLong(run(client, "sh", "-c", script));
    }

    /**
     * Toxiproxy's own counter of the bytes its clients sent into the proxy, counted when a connection ends
     * ({@code -proxy-metrics}).
     */
    private static long bytesFromClients(NetworkLink link) throws Exception {
        URI metrics = link.toxiproxyApi().uri("http").resolve("/metrics");
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith("toxiproxy_proxy_received_bytes_total{"))
                .filter(line -> line.contains("proxy=\"" + link.proxyName() + "\""))
                .filter(line -> line.contains("direction=\"upstream\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
