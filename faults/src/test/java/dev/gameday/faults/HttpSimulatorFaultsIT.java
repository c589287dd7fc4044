package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.HttpSimulatorFaults.Route;
import dev.gameday.faults.internal.Reverters;
import dev.gameday.faults.internal.WireMockDisruption;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * HTTP faults against a real WireMock 3.13.2 simulator, started like the demo's exchange (no request journal, async
 * responses) with the user's stubs as mapping files: {@code POST /api/v3/order} answers a templated order that echoes
 * the request's {@code clientOrderId} (so an answer that went through a fault's stub is shown to come from the user's
 * stub, not from a copy), {@code GET /api/v3/price/<symbol>} a price. Each test checks the effect as a client of the
 * simulator sees it and in the simulator's admin API, and that after the revert the admin API lists exactly the
 * stubs of before and the client gets the normal answer again. Latencies are printed as {@code MEASURE} lines.
 */
class HttpSimulatorFaultsIT {

    private static final GenericContainer<?> WIREMOCK = new GenericContainer<>(Images.WIREMOCK)
            .withExposedPorts(8080)
            .withCopyFileToContainer(MountableFile.forClasspathResource("dev/gameday/faults/wiremock/mappings/"),
                    "/home/wiremock/mappings/")
            .withCommand("--disable-banner", "--no-request-journal", "--async-response-enabled=true")
            .withEnv("JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx192m")
            .waitingFor(Wait.forHttp("/__admin/health").forStatusCode(200))
            .withStartupTimeout(Duration.ofMinutes(2));
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Route ORDERS = Route.of("POST", "/api/v3/order")
            .probedWith("{\"clientOrderId\":\"gameday-probe\"}");
    private static final Pattern ORDER = Pattern.compile(
            "\\{\"orderId\":\"[0-9a-f-]{36}\",\"clientOrderId\":\"(it-\\d+)\",\"status\":\"NEW\"}");
    private static final AtomicInteger ORDER_NUMBER = new AtomicInteger();

    private static Target exchange;
    private static String base;
    private static TreeSet<String> stubsBefore;

    @TempDir
    Path journalDirectory;

    @BeforeAll
    static void start() throws Exception {
        WIREMOCK.start();
        Endpoint endpoint = new Endpoint(WIREMOCK.getHost(), WIREMOCK.getMappedPort(8080));
        base = "http://" + endpoint.host() + ":" + endpoint.port();
        exchange = new Target("exchange", Protocol.HTTP, endpoint, Optional.empty(),
                Optional.of(WIREMOCK.getContainerId())).asHttpSimulator();
        stubsBefore = stubIds();
        assertThat(stubsBefore).as("the user's two mapping files are loaded").hasSize(2);
        // warm the simulator's JVM so that the first fault's measured latency is not its start-up
        for (int i = 0; i < 20; i++) {
            order();
        }
    }

    @AfterAll
    static void stop() {
        WIREMOCK.stop();
    }

    /** The state after each test is the state before: the user's stubs only, no scenario, normal answers. */
    @AfterEach
    void simulatorIsAsBefore() throws Exception {
        assertThat(stubIds()).isEqualTo(stubsBefore);
        assertThat(admin("GET", "/scenarios").body()).doesNotContain("gameday");
        assertNormalOrder(order());
        Reply price = send("GET", "/api/v3/price/BTC", "");
        assertThat(price.status()).isEqualTo(200);
        assertThat(price.markers()).isEmpty();
        assertThat(Files.exists(journalDirectory) ? Files.list(journalDirectory).toList() : List.of())
                .as("journal entries left").isEmpty();
    }

    @Test
    void halfTheOrdersFailWithTheStatusAndTheOthersGetTheUsersAnswer() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertNormalOrder(order());
        }
        Fault fault = journaled(HttpSimulatorFaults.errors(exchange, 503, 0.5, ORDERS));
        assertThat(fault.describe()).contains("HTTP 503 for 1 in every 2 requests");

        long injecting = System.nanoTime();
        ActiveFault active = fault.inject();
        long injected = System.nanoTime();
        List<String> ids = stubIdsOf(active);
        assertThat(ids).as("the cycle's two stubs and its anchor").hasSize(3);
        String tag = active.appliedState().value("tag");
        // the simulator's own view: both stubs of the cycle and their scenario
        for (String id : ids) {
            assertThat(admin("GET", "/mappings/" + id).status()).isEqualTo(200);
        }
        assertThat(admin("GET", "/scenarios").body()).contains("gameday-" + tag);
        // a client's view: 20 orders one after another, exactly 10 fail, 10 are the user's own templated answer
        int failed = 0;
        int answered = 0;
        for (int i = 0; i < 20; i++) {
            Reply reply = order();
            assertThat(reply.markers()).containsExactly(tag);
            if (reply.status() == 503) {
                assertThat(reply.body()).contains("injected HTTP 503");
                failed++;
            } else {
                assertNormalOrderBody(reply);
                answered++;
            }
        }
        assertThat(failed).isEqualTo(10);
        assertThat(answered).isEqualTo(10);
        // other routes are untouched
        Reply price = send("GET", "/api/v3/price/BTC", "");
        assertThat(price.status()).isEqualTo(200);
        assertThat(price.markers()).isEmpty();

        long reverting = System.nanoTime();
        active.close();
        measure(fault, injecting, injected, reverting, System.nanoTime());
        for (String id : ids) {
            assertThat(admin("GET", "/mappings/" + id).status()).isEqualTo(404);
        }
        for (int i = 0; i < 10; i++) {
            assertNormalOrder(order());
        }
    }

    /**
     * Concurrent requests race on the scenario's state, so their share is only close to the rate (some even miss the
     * cycle's stubs while another request moves it on): each still gets either the injected status or the user's own
     * answer, never anything else. The share is printed, not asserted.
     */
    @Test
    void concurrentRequestsGetEitherTheStatusOrTheUsersAnswer() throws Exception {
        Fault fault = journaled(HttpSimulatorFaults.errors(exchange, 503, 0.5, ORDERS));
        try (ActiveFault active = fault.inject()) {
            String tag = active.appliedState().value("tag");
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<Reply>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                replies.add(clients.submit(HttpSimulatorFaultsIT::order));
            }
            int failed = 0;
            int passed = 0;
            int bypassed = 0;
            for (java.util.concurrent.Future<Reply> future : replies) {
                Reply reply = future.get();
                if (reply.status() == 503) {
                    assertThat(reply.markers()).containsExactly(tag);
                    failed++;
                } else {
                    assertNormalOrderBody(reply);
                    if (reply.markers().isEmpty()) {
                        bypassed++;  // matched while another request moved the scenario on: no stub of the cycle
                    } else {
                        assertThat(reply.markers()).containsExactly(tag);
                        passed++;
                    }
                }
            }
            clients.shutdown();
            System.out.printf("MEASURE exchange-http-errors at rate 0.5 under 4 concurrent clients: %d of 200 failed,"
                    + " %d let through, %d missed the cycle%n", failed, passed, bypassed);
            assertThat(failed).as("some fail and some pass").isBetween(1, 199);
        }
    }

    /**
     * In CI, a revert under load once found a stub whose scenario WireMock had already dropped: the deletion answered
     * 500 and every order that stub matched answered 500 until the end of the run (a request served while the stubs
     * were added had written back the scenario's stub list without one of them, wiremock/wiremock#1999). Here four
     * clients send orders without a pause while the fault is injected and reverted again and again: every answer is
     * the injected status or the user's own, every revert succeeds, and nothing of the faults is left.
     */
    @Test
    void anErrorRateComesAndGoesUnderUnbrokenLoadWithNoOtherAnswer() throws Exception {
        Fault fault = journaled(HttpSimulatorFaults.errors(exchange, 503, 0.5, ORDERS));
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.ConcurrentLinkedQueue<String> stray = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> loops = new java.util.ArrayList<>();
        for (int c = 0; c < 4; c++) {
            loops.add(clients.submit(() -> {
                while (running.get()) {
                    try {
                        Reply reply = order();
                        sent.incrementAndGet();
                        if (reply.status() == 503 && reply.markers().size() == 1) {
                            failed.incrementAndGet();
                        } else if (reply.status() != 200 || !ORDER.matcher(reply.body()).matches()) {
                            stray.add(reply.status() + " " + reply.markers() + " " + reply.body());
                        }
                    } catch (IOException e) {
                        stray.add(e.toString());
                    }
                }
                return null;
            }));
        }
        int rounds = 25;
        try {
            for (int round = 0; round < rounds; round++) {
                ActiveFault active = fault.inject();
                Thread.sleep(100);
                active.close();
                for (String id : stubIdsOf(active)) {
                    assertThat(admin("GET", "/mappings/" + id).status()).as("stub " + id + " after round " + round)
                            .isEqualTo(404);
                }
            }
        } finally {
            running.set(false);
            for (java.util.concurrent.Future<?> loop : loops) {
                loop.get();
            }
            clients.shutdown();
        }
        System.out.printf("MEASURE exchange-http-errors injected and reverted %d times under 4 unbroken clients: %d"
                + " orders, %d injected 503s, %d other answers%n", rounds, sent.get(), failed.get(), stray.size());
        assertThat(stray).as("answers neither the injected 503 nor the user's order").isEmpty();
        assertThat(failed.get()).as("the fault took effect").isPositive();
    }

    @Test
    void everyRequestFailsAtRateOne() throws Exception {
        Fault fault = journaled(HttpSimulatorFaults.errors(exchange, 500, 1.0));
        long injecting = System.nanoTime();
        try (ActiveFault active = fault.inject()) {
            long injected = System.nanoTime();
            String tag = active.appliedState().value("tag");
            for (int i = 0; i < 5; i++) {
                Reply reply = order();
                assertThat(reply.status()).isEqualTo(500);
                assertThat(reply.markers()).containsExactly(tag);
                assertThat(send("GET", "/api/v3/price/ETH", "").status()).isEqualTo(500);
            }
            assertThat(admin("GET", "/mappings/" + stubIdsOf(active).get(0)).status()).isEqualTo(200);
            long reverting = System.nanoTime();
            active.close();
            measure(fault, injecting, injected, reverting, System.nanoTime());
            assertThat(admin("GET", "/mappings/" + stubIdsOf(active).get(0)).status()).isEqualTo(404);
        }
    }

    @Test
    void aFixedDelaySlowsTheUsersOwnAnswer() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        Fault fault = journaled(HttpSimulatorFaults.delay(exchange, delay, ORDERS));
        long injecting = System.nanoTime();
        ActiveFault active = fault.inject();
        long injected = System.nanoTime();
        String tag = active.appliedState().value("tag");
        String id = stubIdsOf(active).get(0);
        assertThat(admin("GET", "/mappings/" + id).body()).contains("\"fixedDelayMilliseconds\" : 1500");
        for (int i = 0; i < 3; i++) {
            Reply reply = order();
            assertNormalOrderBody(reply);
            assertThat(reply.markers()).containsExactly(tag);
            assertThat(reply.elapsed()).isGreaterThanOrEqualTo(delay);
        }
        assertThat(send("GET", "/api/v3/price/BTC", "").markers()).as("other routes are not delayed").isEmpty();
        long reverting = System.nanoTime();
        active.close();
        measure(fault, injecting, injected, reverting, System.nanoTime());
        assertThat(admin("GET", "/mappings/" + id).status()).isEqualTo(404);
    }

    @Test
    void aRandomDelayIsWithinItsBoundsAndKeepsTheAnswer() throws Exception {
        Duration min = Duration.ofMillis(600);
        Duration max = Duration.ofMillis(1200);
        Fault fault = journaled(HttpSimulatorFaults.randomDelay(exchange, min, max));
        long injecting = System.nanoTime();
        ActiveFault active = fault.inject();
        long injected = System.nanoTime();
        String tag = active.appliedState().value("tag");
        String id = stubIdsOf(active).get(0);
        assertThat(admin("GET", "/mappings/" + id).body()).contains("\"uniform\"").contains("\"lower\" : 600")
                .contains("\"upper\" : 1200");
        for (int i = 0; i < 4; i++) {
            Reply reply = order();
            assertNormalOrderBody(reply);
            assertThat(reply.markers()).containsExactly(tag);
            assertThat(reply.elapsed()).isGreaterThanOrEqualTo(min);
            Reply price = send("GET", "/api/v3/price/BTC", "");
            assertThat(price.status()).isEqualTo(200);
            assertThat(price.body()).contains("42000.00");
            assertThat(price.elapsed()).isGreaterThanOrEqualTo(min);
        }
        long reverting = System.nanoTime();
        active.close();
        measure(fault, injecting, injected, reverting, System.nanoTime());
        assertThat(admin("GET", "/mappings/" + id).status()).isEqualTo(404);
    }

    @Test
    void twoDelaysOnOneRouteAddUpAndRevertingOneLeavesTheOther() throws Exception {
        Duration delay = Duration.ofMillis(700);
        ActiveFault first = journaled(HttpSimulatorFaults.delay(exchange, delay, ORDERS)).inject();
        ActiveFault second = journaled(HttpSimulatorFaults.delay(exchange, delay, ORDERS)).inject();
        String firstTag = first.appliedState().value("tag");
        String secondTag = second.appliedState().value("tag");
        Reply both = order();
        assertNormalOrderBody(both);
        assertThat(both.markers()).contains(firstTag, secondTag);
        assertThat(both.elapsed()).isGreaterThanOrEqualTo(delay.multipliedBy(2));

        second.close();
        assertThat(admin("GET", "/mappings/" + stubIdsOf(second).get(0)).status()).isEqualTo(404);
        assertThat(admin("GET", "/mappings/" + stubIdsOf(first).get(0)).status()).isEqualTo(200);
        Reply one = order();
        assertNormalOrderBody(one);
        assertThat(one.markers()).containsExactly(firstTag);
        assertThat(one.elapsed()).isGreaterThanOrEqualTo(delay);
        first.close();
    }

    @Test
    void aMalformedResponseStartsWith200AndBreaksInTheBody() throws Exception {
        Fault fault = journaled(HttpSimulatorFaults.malformedResponse(exchange, ORDERS));
        long injecting = System.nanoTime();
        ActiveFault active = fault.inject();
        long injected = System.nanoTime();
        assertThat(admin("GET", "/mappings/" + stubIdsOf(active).get(0)).body())
                .contains("MALFORMED_RESPONSE_CHUNK");
        assertThatThrownBy(HttpSimulatorFaultsIT::order).isInstanceOf(IOException.class);
        Wire wire = wire("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(wire.text()).startsWith("HTTP/1.1 200");
        assertThat(wire.text()).doesNotContain("\"status\":\"NEW\"");
        assertThat(wire.text()).contains("Transfer-Encoding: chunked\r\n\r\n");
        String framedBody = wire.text().substring(wire.text().indexOf("\r\n\r\n") + 4);
        assertThat(framedBody).as("not a chunk: no hex size line").isNotEmpty()
                .doesNotMatch("(?s)[0-9a-fA-F]+(;[^\r]*)?\r\n.*");
        assertThat(send("GET", "/api/v3/price/BTC", "").status()).as("other routes answer").isEqualTo(200);
        long reverting = System.nanoTime();
        active.close();
        measure(fault, injecting, injected, reverting, System.nanoTime());
        Wire after = wire("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(after.text()).startsWith("HTTP/1.1 200").contains("\"status\":\"NEW\"").endsWith("0\r\n\r\n");
    }

    @Test
    void anEmptyResponseClosesTheConnectionWithoutAByte() throws Exception {
        Fault fault = journaled(HttpSimulatorFaults.emptyResponse(exchange, ORDERS));
        long injecting = System.nanoTime();
        ActiveFault active = fault.inject();
        long injected = System.nanoTime();
        assertThat(admin("GET", "/mappings/" + stubIdsOf(active).get(0)).body()).contains("EMPTY_RESPONSE");
        assertThatThrownBy(HttpSimulatorFaultsIT::order).isInstanceOf(IOException.class);
        Wire wire = wire("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(wire.bytes()).isEmpty();
        assertThat(wire.reset()).isFalse();
        Wire atTheContainer = wireAtTheContainer("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(atTheContainer.bytes()).isEmpty();
        assertThat(atTheContainer.reset()).as("an orderly close, not a reset").isFalse();
        long reverting = System.nanoTime();
        active.close();
        measure(fault, injecting, injected, reverting, System.nanoTime());
        assertThat(wire("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}").text()).startsWith("HTTP/1.1 200");
    }

    @Test
    void aConnectionResetIsATcpResetInsteadOfAnAnswer() throws Exception {
        Fault fault = journaled(HttpSimulatorFaults.connectionReset(exchange, ORDERS));
        long injecting = System.nanoTime();
        ActiveFault active = fault.inject();
        long injected = System.nanoTime();
        assertThat(admin("GET", "/mappings/" + stubIdsOf(active).get(0)).body()).contains("CONNECTION_RESET_BY_PEER");
        assertThatThrownBy(HttpSimulatorFaultsIT::order).isInstanceOf(IOException.class);
        // through the published port, docker-proxy turns the RST into a close: no byte, no answer
        Wire wire = wire("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(wire.bytes()).isEmpty();
        // on the container's network, the simulator's own behaviour: a TCP reset
        Wire atTheContainer = wireAtTheContainer("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(atTheContainer.reset()).as("connection reset, after " + atTheContainer.bytes().length + " bytes")
                .isTrue();
        long reverting = System.nanoTime();
        active.close();
        measure(fault, injecting, injected, reverting, System.nanoTime());
        Wire after = wireAtTheContainer("POST", "/api/v3/order", "{\"clientOrderId\":\"it-raw\"}");
        assertThat(after.reset()).isFalse();
        assertThat(after.text()).startsWith("HTTP/1.1 200");
    }

    /**
     * A run killed with the fault applied: the journal entry, written by hand with the pid of a finished process, is
     * reverted by {@link FaultJournal#cleanup()} through {@link Reverters}, from its values alone; a stub of the same
     * injection that the state does not list (found by its metadata) goes too.
     */
    @Test
    void aLeftoverOfADeadRunIsRevertedFromItsJournalEntry() throws Exception {
        WireMockDisruption disruption = WireMockDisruption.errors(exchange, ORDERS, "exchange-http-errors", 503, 1.0);
        AppliedState state = disruption.prepare();
        disruption.apply(state);
        String tag = state.value("tag");
        String stray = "00000000-0000-4000-8000-" + tag.substring(tag.length() - 8) + "0000";
        Reply added = admin("POST", "/mappings", "{\"id\":\"" + stray + "\",\"priority\":1,\"metadata\":{\"gameday\":\""
                + tag + "\"},\"request\":{\"method\":\"GET\",\"urlPath\":\"/stray\"},\"response\":{\"status\":418}}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(order().status()).isEqualTo(503);

        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Properties entry = new Properties();
        entry.setProperty("fault", "exchange-http-errors");
        entry.setProperty("description", disruption.describe());
        entry.setProperty("owner.pid", Long.toString(finished.pid()));
        entry.setProperty("recorded", Instant.now().toString());
        entry.setProperty("backend", state.backend());
        state.values().forEach((key, value) -> entry.setProperty("value." + key, value));
        Files.createDirectories(journalDirectory);
        try (OutputStream out = Files.newOutputStream(journalDirectory.resolve("exchange-http-errors-dead.fault"))) {
            entry.store(out, "left by a killed run");
        }

        long reverting = System.nanoTime();
        List<String> done = FaultJournal.at(journalDirectory).cleanup();
        System.out.printf("MEASURE exchange-http-errors cleanup of a dead run's entry: %d ms (%s)%n",
                (System.nanoTime() - reverting) / 1_000_000, done);
        assertThat(done).singleElement().asString().startsWith("reverted 'exchange-http-errors'")
                .contains("removed 1 of 1 stubs of '" + tag + "'");
        assertThat(admin("GET", "/mappings/" + state.value("stubs")).status()).isEqualTo(404);
        assertThat(admin("GET", "/mappings/" + stray).status()).isEqualTo(404);
        assertThat(disruption.observe(state).effect()).isEqualTo(Disruption.Observation.Effect.NOT_IN_EFFECT);
        // a second revert finds nothing left and says so
        assertThat(Reverters.revert(state)).contains("removed 0 of 1 stubs");
    }

    @Test
    void aCleanupOfASimulatorThatIsGoneSaysNothingIsLeft() throws Exception {
        AppliedState gone = AppliedState.of(WireMockDisruption.BACKEND).with("admin", "http://127.0.0.1:9/__admin")
                .with("tag", "exchange-http-delay-0badc0de").with("passed-header", "X-Gameday-Passed-0badc0de")
                .with("stubs", "00000000-0000-4000-8000-000000000000").with("probe-status", "200");
        assertThat(Reverters.revert(gone)).contains("no longer answers");
    }

    @Test
    void aProbeThatNormallyGets404IsStillToldApartByTheFaultsHeaderAndADeadSimulatorIsRefused() throws Exception {
        // no user stub serves GET /api/v3/order: its normal answer is WireMock's 404, before and after the fault
        Fault fault = journaled(HttpSimulatorFaults.errors(exchange, 404, 1.0, Route.of("GET", "/api/v3/order")));
        try (ActiveFault active = fault.inject()) {
            Reply reply = send("GET", "/api/v3/order", "");
            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.markers()).containsExactly(active.appliedState().value("tag"));
        }
        Reply after = send("GET", "/api/v3/order", "");
        assertThat(after.status()).isEqualTo(404);
        assertThat(after.markers()).isEmpty();
        Target stopped = new Target("down", Protocol.HTTP, new Endpoint("127.0.0.1", 9), Optional.empty(),
                Optional.empty()).asHttpSimulator();
        assertThatThrownBy(() -> journaled(HttpSimulatorFaults.delay(stopped, Duration.ofMillis(100))).inject())
                .isInstanceOf(FaultException.class).hasMessageContaining("Nothing was applied");
    }

    private Fault journaled(Fault fault) {
        return fault.journaledIn(FaultJournal.at(journalDirectory));
    }

    private static void measure(Fault fault, long injecting, long injected, long reverting, long restored) {
        System.out.printf("MEASURE %s [%s]: inject-to-verified-effect %d ms, revert-to-verified-restore %d ms%n",
                fault.name(), fault.describe(), (injected - injecting) / 1_000_000, (restored - reverting) / 1_000_000);
    }

    private static List<String> stubIdsOf(ActiveFault active) {
        return List.of(active.appliedState().value("stubs").split(","));
    }

    private static void assertNormalOrder(Reply reply) {
        assertNormalOrderBody(reply);
        assertThat(reply.markers()).isEmpty();
    }

    /** The user's stub answered: 200 with a fresh order id and this request's own client order id echoed. */
    private static void assertNormalOrderBody(Reply reply) {
        assertThat(reply.status()).isEqualTo(200);
        Matcher matcher = ORDER.matcher(reply.body());
        assertThat(matcher.matches()).as("user's templated answer: " + reply.body()).isTrue();
        assertThat(matcher.group(1)).isEqualTo(reply.clientOrderId());
    }

    private static Reply order() throws IOException {
        String clientOrderId = "it-" + ORDER_NUMBER.incrementAndGet();
        Reply reply = send("POST", "/api/v3/order", "{\"clientOrderId\":\"" + clientOrderId + "\"}");
        return new Reply(reply.status(), reply.markers(), reply.body(), reply.elapsed(), clientOrderId);
    }

    private record Reply(int status, List<String> markers, String body, Duration elapsed, String clientOrderId) {
    }

    private static Reply send(String method, String path, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().allValues("X-Gameday-Fault"), response.body(),
                    Duration.ofNanos(System.nanoTime() - start), null);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static Reply admin(String method, String path) throws IOException {
        return admin(method, path, "");
    }

    private static Reply admin(String method, String path, String body) throws IOException {
        return send(method, "/__admin" + path, body);
    }

    private static TreeSet<String> stubIds() throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        Matcher matcher = Pattern.compile("\"id\" : \"([0-9a-f-]{36})\"").matcher(admin("GET", "/mappings").body());
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    /** What a raw connection gets: the bytes, and whether it ended with a reset. */
    private record Wire(byte[] bytes, boolean reset) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Through the published port, as the harness and a client on the host reach the simulator. */
    private static Wire wire(String method, String path, String body) throws IOException {
        return wire(exchange.endpoint().host(), exchange.endpoint().port(), method, path, body);
    }

    /** At the container's own address on its Docker network, without docker-proxy in between. */
    private static Wire wireAtTheContainer(String method, String path, String body) throws IOException {
        String address = WIREMOCK.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next()
                .getIpAddress();
        return wire(address, 8080, method, path, body);
    }

    /**
     * A keep-alive request (so that the server frames the body in chunks), read until the connection ends or the
     * chunked answer is complete.
     */
    private static Wire wire(String host, int port, String method, String path, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type:"
                    + " application/json\r\nContent-Length: " + content.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                received.write(buffer, 0, read);
                if (received.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                    break;
                }
            }
            return new Wire(received.toByteArray(), false);
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return new Wire(received.toByteArray(), true);
            }
            throw e;
        }
    }
}
