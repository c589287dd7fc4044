package dev.gameday.faults;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.internal.Probes;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * The network faults whose probes speak HTTP (to a real WireMock serving a 100 kB page at {@code GET /}) and
 * PostgreSQL (an SSL request to a real PostgreSQL), each behind its own proxy of one real Toxiproxy: the effect as a
 * client through the proxy sees it, and the full restore. Timings are logged (lines starting {@code TIMING}).
 */
class HttpAndPostgresNetworkFaultsIT {

    private static final int HTTP_PROXY_PORT = 8666;
    private static final int POSTGRES_PROXY_PORT = 8667;
    private static final int PAGE_BYTES = 100_000;
    private static final Duration FAST = ofMillis(250);
    private static final Network NETWORK = Network.newNetwork();
    private static final GenericContainer<?> WIREMOCK = new GenericContainer<>(Images.WIREMOCK)
            .withNetwork(NETWORK).withNetworkAliases("exchange").withExposedPorts(8080)
            .withCommand("--disable-banner", "--no-request-journal")
            .waitingFor(Wait.forHttp("/__admin/health").forPort(8080));
    private static final GenericContainer<?> POSTGRES = new GenericContainer<>(Images.POSTGRES)
            .withNetwork(NETWORK).withNetworkAliases("postgres").withExposedPorts(5432)
            .withEnv("POSTGRES_PASSWORD", "gameday")
            .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\n", 2));
    private static final ToxiproxyContainer TOXIPROXY = new ToxiproxyContainer(Images.TOXIPROXY)
            .withCommand("-host=0.0.0.0").withNetwork(NETWORK);
    private static final List<String> TIMINGS = new CopyOnWriteArrayList<>();

    private static ToxiproxyClient toxiproxy;
    private static Target exchange;
    private static Target postgres;

    @BeforeAll
    static void start() throws Exception {
        WIREMOCK.start();
        POSTGRES.start();
        TOXIPROXY.start();
        toxiproxy = new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort());
        toxiproxy.createProxy("exchange", "0.0.0.0:" + HTTP_PROXY_PORT, "exchange:8080");
        toxiproxy.createProxy("postgres", "0.0.0.0:" + POSTGRES_PROXY_PORT, "postgres:5432");
        Endpoint api = new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getControlPort());
        exchange = new Target("exchange", Protocol.HTTP, new Endpoint(WIREMOCK.getHost(), WIREMOCK.getMappedPort(8080)),
                Optional.of(new NetworkLink(api, "exchange",
                        new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getMappedPort(HTTP_PROXY_PORT)))),
                Optional.empty());
        postgres = new Target("postgres", Protocol.POSTGRES,
                new Endpoint(POSTGRES.getHost(), POSTGRES.getMappedPort(5432)),
                Optional.of(new NetworkLink(api, "postgres",
                        new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getMappedPort(POSTGRES_PROXY_PORT)))),
                Optional.empty());
        String stub = "{\"request\":{\"method\":\"GET\",\"url\":\"/\"},\"response\":{\"status\":200,\"body\":\""
                + "p".repeat(PAGE_BYTES) + "\"}}";
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        exchange.endpoint().uri("http").resolve("/__admin/mappings"))
                .POST(HttpRequest.BodyPublishers.ofString(stub)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("WireMock took the page's stub: %s", created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        TIMINGS.forEach(System.out::println);
        TOXIPROXY.stop();
        POSTGRES.stop();
        WIREMOCK.stop();
        NETWORK.close();
    }

    @AfterEach
    void leaveTheProxiesClean() throws IOException {
        for (String name : List.of("exchange", "postgres")) {
            Proxy proxy = toxiproxy.getProxy(name);
            for (Toxic toxic : proxy.toxics().getAll()) {
                toxic.remove();
            }
            proxy.enable();
        }
    }

    @Test
    void bandwidthSlowsTheHttpPageUntilReverted() throws IOException {
        Page before = get(ofSeconds(5));
        assertThat(before.complete()).as("precondition: the page arrives whole: %s", before).isTrue();
        Timing timing = new Timing();
        // 100 kB at 50 kB/s: two seconds
        try (ActiveFault fault = NetworkFaults.bandwidth(exchange, 50_000).inject(timing)) {
            Page slowed = get(ofSeconds(10));
            assertThat(slowed.complete()).as("the page still arrives whole: %s", slowed).isTrue();
            assertThat(slowed.elapsed()).as("but slowly (unlimited: %s)", before.elapsed())
                    .isGreaterThanOrEqualTo(ofMillis(1_000));
        }
        assertRestored(exchange, timing.log("http bandwidth 50000 B/s"));
        assertThat(get(ofSeconds(5)).elapsed()).isLessThan(ofMillis(500));
    }

    @Test
    void limitDataCutsTheHttpPageShortUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.limitData(exchange, 10_000).inject(timing)) {
            Page cut = get(ofSeconds(5));
            assertThat(cut.complete()).as("the page arrives cut: %s", cut).isFalse();
            assertThat(cut.bytes()).isBetween(1L, 10_000L);
        }
        assertRestored(exchange, timing.log("http limit_data 10000B"));
        assertThat(get(ofSeconds(5)).complete()).isTrue();
    }

    @Test
    void slowCloseDelaysTheEndOfAnHttpConnectionUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.slowClose(exchange, ofSeconds(2)).inject(timing)) {
            Page page = get(ofSeconds(5));
            assertThat(page.complete()).as("the page arrives whole: %s", page).isTrue();
            assertThat(page.closedAfterPage()).as("the server's close reaches the client 2 s late")
                    .isGreaterThanOrEqualTo(ofMillis(1_500));
        }
        assertRestored(exchange, timing.log("http slow_close 2s"));
        assertThat(get(ofSeconds(5)).closedAfterPage()).isLessThan(ofMillis(500));
    }

    @Test
    void theSlicerDeliversTheHttpPageInManySmallReadsUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.slicer(exchange, 1_000, ofMillis(5)).inject(timing)) {
            Page page = get(ofSeconds(10));
            assertThat(page.complete()).as("the page arrives whole: %s", page).isTrue();
            assertThat(page.reads()).as("in many reads").isGreaterThanOrEqualTo(50);
        }
        assertRestored(exchange, timing.log("http slicer 1000B/5ms"));
    }

    @Test
    void resetPeerEndsPostgresConnectionsWithoutAnswerUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.resetPeer(postgres).inject(timing)) {
            assertThat(sslRequest()).as("the SSL request gets no answer, the connection ends").isIn("reset", "closed");
        }
        assertRestored(postgres, timing.log("postgres reset_peer"));
        assertThat(sslRequest()).isIn("S", "N");
    }

    @Test
    void aPartitionSilencesPostgresWithConnectionsOpenUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.partition(postgres).inject(timing)) {
            assertThat(sslRequest()).as("connected, then neither an answer nor a close").isEqualTo("silent");
        }
        assertRestored(postgres, timing.log("postgres partition both ways"));
        assertThat(sslRequest()).isIn("S", "N");
    }

    @Test
    void latencyDelaysPostgresAnswersUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.latency(postgres, ofMillis(300)).inject(timing)) {
            assertThat(Probes.forProtocol(Protocol.POSTGRES, postgres.clientEndpoint()).roundTrip(ofSeconds(2)))
                    .hasValueSatisfying(rt -> assertThat(rt).isGreaterThanOrEqualTo(ofMillis(300)));
        }
        assertRestored(postgres, timing.log("postgres latency 300ms"));
    }

    /** The proxy enabled with no toxic, and the target's probe through it answering fast. */
    private static void assertRestored(Target target, String timing) throws IOException {
        Proxy proxy = toxiproxy.getProxy(target.name());
        assertThat(proxy.isEnabled()).as("restored: proxy enabled").isTrue();
        List<String> names = new ArrayList<>();
        for (Toxic toxic : proxy.toxics().getAll()) {
            names.add(toxic.getName());
        }
        assertThat(names).as("restored: no toxic left").isEmpty();
        assertThat(Probes.forProtocol(target.protocol(), target.clientEndpoint()).roundTrip(ofMillis(500)))
                .as("restored: the probe answers fast again (%s)", timing)
                .hasValueSatisfying(rt -> assertThat(rt).isLessThan(FAST));
    }

    /** Sends an SSL request through the proxy: "S" or "N" when answered, else reset, closed or silent. */
    private static String sslRequest() throws IOException {
        Endpoint proxied = postgres.clientEndpoint();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(proxied.host(), proxied.port()), 2_000);
            socket.setSoTimeout(1_500);
            socket.getOutputStream().write(ByteBuffer.allocate(8).putInt(8).putInt(80_877_103).array());
            int answer = socket.getInputStream().read();
            return answer < 0 ? "closed" : String.valueOf((char) answer);
        } catch (SocketTimeoutException e) {
            return "silent";
        } catch (java.net.SocketException e) {
            return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("reset") ? "reset" : "closed";
        }
    }

    /** GET / through the proxy with Connection: close, read to the server's close. */
    private static Page get(Duration timeout) throws IOException {
        Endpoint proxied = exchange.clientEndpoint();
        long start = System.nanoTime();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int reads = 0;
        long pageAt = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(proxied.host(), proxied.port()), 2_000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: exchange\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                long left = timeout.toMillis() - (System.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                reads++;
                answer.write(buffer, 0, n);
                if (pageAt == 0 && wholePage(answer.toString(StandardCharsets.ISO_8859_1))) {
                    pageAt = System.nanoTime();
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // the page is judged by what arrived
        }
        long end = System.nanoTime();
        return new Page(answer.size(), pageAt != 0, reads, Duration.ofNanos((pageAt == 0 ? end : pageAt) - start),
                pageAt == 0 ? null : Duration.ofNanos(end - pageAt));
    }

    /** Whether the text holds the whole 100 kB page, however the server framed it. */
    private static boolean wholePage(String text) {
        int body = text.indexOf("\r\n\r\n");
        return body >= 0 && text.substring(body).chars().filter(c -> c == 'p').count() >= PAGE_BYTES;
    }

    private record Page(long bytes, boolean complete, int reads, Duration elapsed, Duration closedAfterPage) {
    }

    private static final class Timing implements FaultListener {
        private long injecting;
        private long active;
        private long restoring;
        private long restored;

        @Override
        public void injecting(String fault, String description) {
            injecting = System.nanoTime();
        }

        @Override
        public void active(String fault, String evidence) {
            active = System.nanoTime();
        }

        @Override
        public void restoring(String fault) {
            restoring = System.nanoTime();
        }

        @Override
        public void restored(String fault, String evidence) {
            restored = System.nanoTime();
        }

        String log(String fault) {
            String line = String.format(Locale.ROOT, "TIMING %-40s inject->effect %7.1f ms   revert->restored %7.1f ms",
                    fault, (active - injecting) / 1e6, (restored - restoring) / 1e6);
            TIMINGS.add(line);
            return line;
        }
    }
}
