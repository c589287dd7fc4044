package dev.gameday.environments.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's own compose file (examples/compose-system: a Python service over Redis), run with Toxiproxy slipped in
 * front of Redis: the file is untouched, the service's Redis traffic goes through the proxy, a latency toxic slows the
 * service's writes and removing it restores them, and close() leaves nothing of the project behind.
 */
class ComposeEnvironmentIT {

    private static final Logger LOG = LoggerFactory.getLogger(ComposeEnvironmentIT.class);
    private static final Path SYSTEM = Path.of("..", "..", "examples", "compose-system");
    private static final Path COMPOSE_FILE = SYSTEM.resolve("docker-compose.yml");
    private static final int SAMPLES = 15;
    private static final Pattern UPSTREAM_BYTES = Pattern.compile(
            "toxiproxy_proxy_received_bytes_total\\{[^}]*direction=\"upstream\"[^}]*proxy=\"redis\"[^}]*} (\\S+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void runsTheUsersComposeFileWithToxiproxyInFrontOfRedisAndLeavesNothingBehind(@TempDir Path logs) throws Exception {
        Map<Path, String> before = digests(SYSTEM);
        ComposeEnvironment.Builder builder = ComposeEnvironment.builder(COMPOSE_FILE)
                .entryPoint("quotes", 8000)
                .proxied("redis", Protocol.REDIS, 6379)
                .readiness("/health")
                .startupTimeout(Duration.ofMinutes(4));
        assertThat(builder.targetNames()).containsExactly("quotes", "redis");

        ComposeEnvironment system = builder.start();
        String project = system.project();
        Path workDir = system.workDirForTests();
        try {
            assertThat(system.name()).isEqualTo("compose-system");
            assertThat(system.targetNames()).containsExactly("quotes", "redis");
            Target quotes = system.entryPoint();
            Target redis = system.target("redis");
            assertThat(quotes.link()).isEmpty();
            assertThat(quotes.containerId()).isPresent();
            assertThat(redis.containerId()).isPresent();
            NetworkLink link = redis.link().orElseThrow();
            URI api = quotes.endpoint().uri("http");

            // A write and a read back through the service.
            HttpResponse<String> created = post(api);
            assertThat(created.statusCode()).isEqualTo(201);
            String location = created.headers().firstValue("Location").orElseThrow();
            assertThat(http.send(HttpRequest.newBuilder(api.resolve(location)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            // (b) The service reaches Redis through the proxy: its traffic raises the proxy's counters.
            long connectionsBefore = link.connections().orElseThrow().bytesReceived();
            double metricsBefore = upstreamBytes(link);
            List<Long> baseline = postTimes(api);
            long connectionsAfter = link.connections().orElseThrow().bytesReceived();
            double metricsAfter = upstreamBytes(link);
            LOG.info("Proxy 'redis' received {} bytes on the service's open connections during {} writes"
                            + " (ss in the proxy's namespace); Toxiproxy's counter (closed connections only) {} -> {}",
                    connectionsAfter - connectionsBefore, SAMPLES, metricsBefore, metricsAfter);
            assertThat(connectionsAfter - connectionsBefore).isGreaterThan(SAMPLES * 20L);

            // A 300 ms latency toxic on the proxy slows the service's writes by at least as much; removing it
            // restores them.
            ToxiproxyClient client = new ToxiproxyClient(link.toxiproxyApi().host(), link.toxiproxyApi().port());
            Proxy proxy = client.getProxy(link.proxyName());
            proxy.toxics().latency("gameday-latency", ToxicDirection.DOWNSTREAM, 300);
            List<Long> slowed;
            try {
                slowed = postTimes(api);
            } finally {
                proxy.toxics().get("gameday-latency").remove();
            }
            List<Long> restored = postTimes(api);
            LOG.info("POST /quotes in ms, median (min-max) of {}: without toxic {} ({}-{}), with a 300 ms latency toxic"
                            + " {} ({}-{}), after removing it {} ({}-{})", SAMPLES,
                    median(baseline), min(baseline), max(baseline), median(slowed), min(slowed), max(slowed),
                    median(restored), min(restored), max(restored));
            // Every write paid the 300 ms (one round trip to Redis each); without the toxic they take a few ms.
            assertThat(median(baseline)).isLessThan(150);
            assertThat(min(slowed)).isGreaterThanOrEqualTo(300);
            assertThat(median(restored)).isLessThan(150);

            system.saveLogs(logs);
            assertThat(logs.resolve("quotes.log")).content().contains("listening on 8000");
            assertThat(logs.resolve("redis.log")).exists();
            assertThat(logs.resolve("gameday-toxiproxy-redis.log")).exists();
        } finally {
            system.close();
        }
        system.close(); // idempotent

        // (a) The user's files are byte-identical, and nothing was written next to them.
        assertThat(digests(SYSTEM)).isEqualTo(before);
        // (c) Nothing of the project is left.
        assertThat(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project)).isEmpty();
        assertThat(docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project)).isEmpty();
        assertThat(docker("volume", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project)).isEmpty();
        assertThat(docker("ps", "-aq", "--filter", "label=" + ComposeEnvironment.LABEL_RUN + "="
                + project.substring(ComposeEnvironment.PROJECT_PREFIX.length()))).isEmpty();
        assertThat(docker("images", "-q", project + "-quotes")).as("the image built for the run").isEmpty();
        assertThat(workDir).doesNotExist();
    }

    /**
     * The override file with the chatty-client flaw: ten Redis round trips per write. Fast while Redis is near; a
     * 100 ms latency on the link to Redis makes each write take over a second, where the healthy service pays 100 ms.
     * The entry point is proxied as well: load goes through its proxy, and the service still reaches Redis's proxy.
     */
    @Test
    void overrideFilesApplyAndTheChattyClientPaysTheLatencyTenTimes() throws Exception {
        try (ComposeEnvironment system = ComposeEnvironment.builder(COMPOSE_FILE,
                        SYSTEM.resolve("docker-compose.chatty.yml"))
                .name("compose-system-chatty")
                .entryPoint("quotes", 8000)
                .proxied("quotes", Protocol.HTTP, 8000) // load goes through a proxy too
                .proxied("redis", Protocol.REDIS, 6379)
                .readiness("/health")
                .startupTimeout(Duration.ofMinutes(4))
                .start()) {
            assertThat(system.targetNames()).containsExactly("quotes", "redis");
            NetworkLink entry = system.entryPoint().link().orElseThrow();
            URI api = entry.proxied().uri("http");
            NetworkLink link = system.target("redis").link().orElseThrow();
            long loadBefore = entry.connections().orElseThrow().bytesReceived();
            List<Long> fast = postTimes(api, 5);
            // The load went through the entry point's proxy, and the service, off its network, still reached Redis.
            assertThat(entry.connections().orElseThrow().bytesReceived() - loadBefore).isGreaterThan(5 * 100L);
            Proxy proxy = new ToxiproxyClient(link.toxiproxyApi().host(), link.toxiproxyApi().port())
                    .getProxy(link.proxyName());
            proxy.toxics().latency("gameday-latency", ToxicDirection.DOWNSTREAM, 100);
            List<Long> slow;
            try {
                slow = postTimes(api, 5);
            } finally {
                proxy.toxics().get("gameday-latency").remove();
            }
            LOG.info("Chatty service, POST /quotes in ms, median (min-max) of 5: without toxic {} ({}-{}), with a"
                    + " 100 ms latency toxic {} ({}-{})", median(fast), min(fast), max(fast), median(slow), min(slow),
                    max(slow));
            assertThat(min(slow)).isGreaterThanOrEqualTo(1_000);

            // A shared environment can be checked between experiments: a stopped Redis is named.
            system.checkHealthy();
            docker("stop", "-t", "1", system.target("redis").containerId().orElseThrow());
            assertThatThrownBy(system::checkHealthy)
                    .isInstanceOf(EnvironmentUnavailableException.class)
                    .hasMessageContaining("is not healthy. Services not running or not healthy: [redis (exited")
                    .hasMessageContaining("Last log lines of 'redis'");
        }
    }

    /**
     * A start that fails (the readiness path never answers 2xx) says why, saves the logs and leaves nothing behind;
     * and a project left by a dead owner (as after kill -9) is brought down by the next start.
     */
    @Test
    void aFailedStartExplainsItselfAndLeavesNothingAndLeftoversOfDeadOwnersAreRemoved(@TempDir Path dir)
            throws Exception {
        String leftover = ComposeEnvironment.PROJECT_PREFIX + "leftover-" + Long.toHexString(System.nanoTime());
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path leftoverFile = dir.resolve("leftover.yml");
        Files.writeString(leftoverFile, """
                services:
                  idle:
                    image: gameday.local/redis:7.0
                    pull_policy: never
                    labels:
                      dev.gameday.owner.pid: "%d"
                      dev.gameday.owner.started: "1"
                      dev.gameday.owner.host: "%s"
                """.formatted(finished.pid(), Leftovers.hostName()));
        docker("compose", "-p", leftover, "-f", leftoverFile.toString(), "up", "-d");
        assertThat(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + leftover)).isNotEmpty();

        String name = "failing-readiness-" + Long.toHexString(System.nanoTime());
        ComposeEnvironment.Builder builder = ComposeEnvironment.builder(COMPOSE_FILE)
                .name(name)
                .entryPoint("quotes", 8000)
                .proxied("redis", Protocol.REDIS, 6379)
                .readiness("/quotes/none")
                .startupTimeout(Duration.ofSeconds(15));
        assertThatThrownBy(builder::start)
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("(the readiness path on entry point 'quotes') to answer 2xx within the startup"
                        + " timeout of 15 s, but the last answer was: status 404")
                .hasMessageContaining("Last log lines of 'quotes':")
                .hasMessageContaining("listening on 8000")
                .hasMessageContaining("Every service's log is in")
                .satisfies(e -> {
                    LOG.info("A failed start says: {}", e.getMessage());
                    Matcher saved = Pattern.compile("Every service's log is in (\\S+)\\.").matcher(e.getMessage());
                    assertThat(saved.find()).isTrue();
                    Path savedLogs = Path.of(saved.group(1));
                    assertThat(savedLogs.resolve("quotes.log")).content().contains("listening on 8000");
                    assertThat(savedLogs.resolve("gameday-toxiproxy-redis.log")).exists();
                    ComposeEnvironment.deleteQuietly(savedLogs);
                });

        assertThat(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=" + leftover)).isEmpty();
        assertThat(docker("network", "ls", "-q", "--filter", "label=com.docker.compose.project=" + leftover)).isEmpty();
        assertThat(docker("ps", "-aq", "--filter", "label=" + ComposeEnvironment.LABEL_ENVIRONMENT + "=" + name))
                .isEmpty();
    }

    /** Checks that need the Compose command line and the engine, and fail before any container is created. */
    @Test
    void composesOwnErrorsUnknownServicesAndMissingImagesFailBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        List<String> workDirsBefore = workDirs();
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, "services:\n  api:\n    image: shop/api:1\n    ports: [\"eighty\"]\n");
        assertThatThrownBy(() -> ComposeEnvironment.builder(broken).entryPoint("api", 80).start())
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("expected a valid compose model, but 'docker compose -f " + broken)
                .hasMessageContaining("eighty")
                .hasMessageContaining("the message above is Compose's own");

        assertThatThrownBy(() -> ComposeEnvironment.builder(COMPOSE_FILE).entryPoint("quotes", 8000)
                .proxied("cache", Protocol.REDIS, 6379).start())
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("expected a service 'cache'")
                .hasMessageContaining("the file has only [quotes, redis]");

        Path missing = dir.resolve("missing-image.yml");
        Files.writeString(missing, "services:\n  api:\n    image: gameday.local/no-such-image:1\n");
        String name = "missing-image-" + Long.toHexString(System.nanoTime());
        assertThatThrownBy(() -> ComposeEnvironment.builder(missing).name(name).entryPoint("api", 80).start())
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("service 'api' runs image 'gameday.local/no-such-image:1', which is not in the"
                        + " local Docker engine, and Gameday never pulls");

        assertThat(docker("ps", "-aq", "--filter", "label=" + ComposeEnvironment.LABEL_ENVIRONMENT + "=" + name))
                .isEmpty();
        assertThat(workDirs()).as("work directories left by starts that failed their checks")
                .isSubsetOf(workDirsBefore);
    }

    private static List<String> workDirs() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(ComposeEnvironment.WORK_DIR_PREFIX)).toList();
        }
    }

    private List<Long> postTimes(URI api) throws IOException, InterruptedException {
        return postTimes(api, SAMPLES);
    }

    private List<Long> postTimes(URI api, int samples) throws IOException, InterruptedException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = post(api);
            millis.add((System.nanoTime() - start) / 1_000_000);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
        return millis;
    }

    private HttpResponse<String> post(URI api) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(api.resolve("/quotes")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"symbol\":\"ACME\",\"price\":\"12.34\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Toxiproxy's own counter of bytes received from clients (it counts a connection's bytes when it ends). */
    private double upstreamBytes(NetworkLink link) throws IOException, InterruptedException {
        Endpoint api = link.toxiproxyApi();
        String metrics = http.send(HttpRequest.newBuilder(api.uri("http").resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = UPSTREAM_BYTES.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    private static Map<Path, String> digests(Path directory) throws Exception {
        Map<Path, String> digests = new java.util.TreeMap<>();
        try (var files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                digests.put(directory.relativize(file), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return digests;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
