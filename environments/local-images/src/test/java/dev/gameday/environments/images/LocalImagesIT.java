package dev.gameday.environments.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * Starts each image {@code scripts/build-images.sh} builds through Testcontainers, under its official name, and
 * checks that the local stand-in ran and behaves like the original; with Testcontainers' reaper enabled, so that
 * Gameday's reaper is the one cleaning up this very test run.
 */
class LocalImagesIT {

    private static final Map<String, String> LOCAL_IMAGE_FOR = Map.of(
            "redis:7.0", "gameday.local/redis:7.0",
            "postgres:15", "gameday.local/postgres:15",
            "ghcr.io/shopify/toxiproxy:2.12.0", "gameday.local/shopify/toxiproxy:2.12.0",
            "wiremock/wiremock:3.13.2", "gameday.local/wiremock/wiremock:3.13.2",
            "testcontainers/ryuk:0.14.0", "gameday.local/testcontainers/ryuk:0.14.0",
            "alpine:3.17", "gameday.local/alpine:3.17");

    /** Long-running container for the reaper test: any local image with a shell will do. */
    private static final String SLEEPER_IMAGE = "gameday.local/debian:bookworm";

    private static final String SESSION_LABEL = "dev.gameday.test.reaper-session";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static DockerClient docker;

    @BeforeAll
    static void requireTheLocalImages() {
        String switchValue = System.getProperty(LocalImageSubstitutor.SWITCH, System.getenv(LocalImageSubstitutor.SWITCH));
        assumeFalse(switchValue != null && !LocalImageSubstitutor.parseSwitch(switchValue),
                LocalImageSubstitutor.SWITCH + "=off: the local images are not in use, nothing to test here");

        docker = DockerClientFactory.instance().client();
        List<String> missing = new ArrayList<>();
        for (String local : LOCAL_IMAGE_FOR.values()) {
            if (!imageExists(local)) {
                missing.add(local);
            }
        }
        if (!imageExists(SLEEPER_IMAGE)) {
            missing.add(SLEEPER_IMAGE);
        }
        if (!missing.isEmpty()) {
            fail("Local images missing from the Docker engine: " + missing + ". Build them with"
                    + " `bash scripts/build-images.sh --skip-demo` (or set " + LocalImageSubstitutor.SWITCH
                    + "=off to skip this test on a machine that pulls the official images).");
        }
    }

    @Test
    void testcontainersRunsGamedaysReaperAsRyuk() {
        List<Container> ryuk = docker.listContainersCmd()
                .withNameFilter(List.of("testcontainers-ryuk-" + DockerClientFactory.SESSION_ID))
                .exec();

        assertThat(ryuk)
                .as("this session's Ryuk container (is TESTCONTAINERS_RYUK_DISABLED set?)")
                .singleElement()
                .extracting(Container::getImage)
                .as("the image this session's Ryuk runs")
                .isEqualTo(LOCAL_IMAGE_FOR.get("testcontainers/ryuk:0.14.0"));
    }

    @Test
    void redisAnswersPingUnderItsOfficialName() {
        try (GenericContainer<?> redis = new GenericContainer<>("redis:7.0").withExposedPorts(6379)) {
            redis.start();

            assertThat(redis.getDockerImageName()).as("image run for redis:7.0").isEqualTo("gameday.local/redis:7.0");
            assertThat(redisCommand(redis.getHost(), redis.getMappedPort(6379), "PING"))
                    .as("Redis's answer to PING from outside the container (protected mode would refuse it)")
                    .containsExactly("+PONG");
        }
    }

    @Test
    void redisTakesServerOptionsAsContainerArgumentsLikeTheOfficialImage() {
        try (GenericContainer<?> redis = new GenericContainer<>("redis:7.0")
                .withExposedPorts(6379)
                .withCommand("--maxmemory-policy", "allkeys-lru")) {
            redis.start();

            assertThat(redisCommand(redis.getHost(), redis.getMappedPort(6379), "CONFIG", "GET", "maxmemory-policy"))
                    .as("maxmemory-policy after starting the container with --maxmemory-policy allkeys-lru")
                    .contains("allkeys-lru");
        }
    }

    @Test
    void postgresRunsSelectOneUnderItsOfficialName() throws SQLException {
        try (PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15")) {
            postgres.start();

            assertThat(postgres.getDockerImageName()).as("image run for postgres:15").isEqualTo("gameday.local/postgres:15");
            try (Connection connection = DriverManager.getConnection(
                    postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
                    Statement statement = connection.createStatement()) {
                assertThat(queryOne(statement, "select 1")).as("select 1 over JDBC").isEqualTo("1");
                assertThat(queryOne(statement, "select current_user || '@' || current_database()"))
                        .as("user and database made from POSTGRES_USER and POSTGRES_DB")
                        .isEqualTo("test@test");
                assertThat(queryOne(statement, "show fsync"))
                        .as("fsync, which Testcontainers turns off with `postgres -c fsync=off`")
                        .isEqualTo("off");
                assertThat(queryOne(statement, "show server_encoding")).as("server encoding").isEqualTo("UTF8");
            }
            assertThat(occurrences(postgres.getLogs(), "database system is ready to accept connections"))
                    .as("readiness lines: the temporary init server's, then the final server's")
                    .isEqualTo(2);
        }
    }

    @Test
    void toxiproxyAnswersVersionAndServesMetricsUnderItsOfficialName() throws Exception {
        try (ToxiproxyContainer toxiproxy = new ToxiproxyContainer("ghcr.io/shopify/toxiproxy:2.12.0")
                .withCommand("-host=0.0.0.0", "-proxy-metrics")) {
            toxiproxy.start();

            assertThat(toxiproxy.getDockerImageName())
                    .as("image run for ghcr.io/shopify/toxiproxy:2.12.0")
                    .isEqualTo("gameday.local/shopify/toxiproxy:2.12.0");
            HttpResponse<String> version = get(toxiproxy.getHost(), toxiproxy.getControlPort(), "/version");
            assertThat(version.statusCode()).as("status of GET /version").isEqualTo(200);
            assertThat(version.body()).as("Toxiproxy's version").contains("2.12.0");
            HttpResponse<String> metrics = get(toxiproxy.getHost(), toxiproxy.getControlPort(), "/metrics");
            assertThat(metrics.statusCode()).as("status of GET /metrics, served when started with -proxy-metrics")
                    .isEqualTo(200);
        }
    }

    @Test
    void wiremockServesMappingsWithTheGivenOptionsUnderItsOfficialName() throws Exception {
        String mapping = "{\"request\": {\"method\": \"GET\", \"urlPath\": \"/hello\"},"
                + " \"response\": {\"status\": 200, \"body\": \"Hello {{request.query.name}}\"}}";
        try (GenericContainer<?> wiremock = new GenericContainer<>("wiremock/wiremock:3.13.2")
                .withExposedPorts(8080)
                .withCommand("--global-response-templating")
                .withCopyToContainer(Transferable.of(mapping), "/home/wiremock/mappings/hello.json")
                .waitingFor(Wait.forHttp("/__admin/mappings").forStatusCode(200))) {
            wiremock.start();

            assertThat(wiremock.getDockerImageName())
                    .as("image run for wiremock/wiremock:3.13.2")
                    .isEqualTo("gameday.local/wiremock/wiremock:3.13.2");
            HttpResponse<String> mappings = get(wiremock.getHost(), wiremock.getMappedPort(8080), "/__admin/mappings");
            assertThat(mappings.statusCode()).as("status of GET /__admin/mappings").isEqualTo(200);
            assertThat(mappings.body()).as("mappings loaded from /home/wiremock/mappings").contains("/hello");
            assertThat(get(wiremock.getHost(), wiremock.getMappedPort(8080), "/hello?name=gameday").body())
                    .as("stub answer, templated because --global-response-templating reached WireMock")
                    .isEqualTo("Hello gameday");
        }
    }

    @Test
    void reaperRemovesWhatASessionLabelledOnceItsClientHasGone() throws IOException {
        String session = UUID.randomUUID().toString();
        Map<String, String> doomed = Map.of(SESSION_LABEL, session);
        Map<String, String> spared = Map.of(SESSION_LABEL, session + "-other");
        List<String> created = new ArrayList<>();

        try (GenericContainer<?> reaper = new GenericContainer<>("testcontainers/ryuk:0.14.0")
                .withExposedPorts(8080)
                .withEnv("RYUK_RECONNECTION_TIMEOUT", "1s")
                .withFileSystemBind(DockerClientFactory.instance().getRemoteDockerUnixSocketPath(),
                        "/var/run/docker.sock", BindMode.READ_WRITE)
                .waitingFor(Wait.forLogMessage(".*Started.*", 1))) {
            reaper.start();
            assertThat(reaper.getDockerImageName())
                    .as("image run for testcontainers/ryuk:0.14.0")
                    .isEqualTo("gameday.local/testcontainers/ryuk:0.14.0");

            String doomedContainer = startSleeper(doomed);
            String sparedContainer = startSleeper(spared);
            created.add(doomedContainer);
            created.add(sparedContainer);
            String doomedNetwork = docker.createNetworkCmd()
                    .withName("gameday-reaper-it-" + session).withLabels(doomed).exec().getId();
            String doomedVolume = docker.createVolumeCmd()
                    .withName("gameday-reaper-it-" + session).withLabels(doomed).exec().getName();

            try (Socket client = new Socket(reaper.getHost(), reaper.getMappedPort(8080))) {
                client.setSoTimeout(10_000);
                String filter = "label=" + URLEncoder.encode(SESSION_LABEL + "=" + session, StandardCharsets.UTF_8);
                client.getOutputStream().write((filter + "\n").getBytes(StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                String answer = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertThat(answer).as("the reaper's answer to a filter line").isEqualTo("ACK");
                assertThat(containerExists(doomedContainer))
                        .as("a labelled container while the reaper's client is still connected")
                        .isTrue();
            }

            await("the reaper removing the container, network and volume labelled " + SESSION_LABEL + "=" + session)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        assertThat(containerExists(doomedContainer)).as("labelled container exists").isFalse();
                        assertThat(docker.listNetworksCmd().withIdFilter(doomedNetwork).exec())
                                .as("labelled network").isEmpty();
                        assertThat(docker.listVolumesCmd().withFilter("name", List.of(doomedVolume)).exec().getVolumes())
                                .as("labelled volume").isNullOrEmpty();
                    });
            assertThat(containerExists(sparedContainer))
                    .as("a container labelled for another session, after the reaper pruned")
                    .isTrue();
            await("the reaper exiting after its prune")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !reaper.isRunning());
            assertThat(reaper.getLogs()).as("the reaper's log").contains("msg=removed containers=1 networks=1 volumes=1");
        } finally {
            for (String id : created) {
                try {
                    docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                } catch (NotFoundException alreadyGone) {
                    // The reaper did its job.
                }
            }
        }
    }

    private static String startSleeper(Map<String, String> labels) {
        // Testcontainers' own session labels too: should this test die half-way, this session's Ryuk removes it.
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(DockerClientFactory.DEFAULT_LABELS);
        all.put(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID);
        String id = docker.createContainerCmd(SLEEPER_IMAGE).withCmd("sleep", "infinity").withLabels(all).exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    private static boolean containerExists(String id) {
        try {
            docker.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static boolean imageExists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Sends one command in RESP and returns the answer's lines (enough for simple answers and short arrays). */
    private static List<String> redisCommand(String host, int port, String... args) {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String first = in.readLine();
            lines.add(first);
            if (first != null && first.startsWith("*")) {
                int elements = Integer.parseInt(first.substring(1));
                for (int i = 0; i < elements * 2; i++) {
                    lines.add(in.readLine());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis at " + host + ":" + port + " did not answer " + String.join(" ", args), e);
        }
    }

    private static HttpResponse<String> get(String host, int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String queryOne(Statement statement, String sql) throws SQLException {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).as("a row from " + sql).isTrue();
            return result.getString(1);
        }
    }

    private static int occurrences(String text, String fragment) {
        Matcher matcher = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
