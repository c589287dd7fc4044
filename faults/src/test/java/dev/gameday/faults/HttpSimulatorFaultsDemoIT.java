package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gameday.environments.Target;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.faults.HttpSimulatorFaults.Route;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP faults seen by the system under test itself: the demo trading system places each order on its exchange
 * simulator (WireMock, reached through Toxiproxy, {@code POST /api/v3/order}) and records it {@code ROUTED} when the
 * exchange accepted it, {@code PENDING_ROUTE} when the call failed. Its breaker is set to stay open 2 s, so that the
 * system routes again soon after a revert.
 */
class HttpSimulatorFaultsDemoIT {

    private static final String ORDER =
            "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1.5,\"price\":65000.0}";
    private static final Route ORDERS = Route.of("POST", "/api/v3/order")
            .probedWith("{\"clientOrderId\":\"gameday-probe\"}");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static DemoTradingSystem system;
    private static Target exchange;
    private static URI api;

    @TempDir
    Path journal;

    @BeforeAll
    static void start() {
        system = DemoTradingSystem.builder().withSetting("EXCHANGE_BREAKER_OPEN_DURATION", "2s").start();
        exchange = system.targets().stream().filter(t -> t.name().equals("exchange")).findFirst().orElseThrow()
                .asHttpSimulator();
        api = system.entryPoint().endpoint().uri("http");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Each test starts from a system that routes its orders (its breaker closed again after the previous test). */
    @BeforeEach
    void routing() {
        awaitRouted("before the fault");
    }

    @Test
    void ordersArePendingWhileTheExchangeAnswers503AndRoutedAgainAfterTheRevert() throws Exception {
        try (ActiveFault active = journaled(HttpSimulatorFaults.errors(exchange, 503, 1.0, ORDERS)).inject()) {
            assertThat(placeOrder()).contains("\"status\":\"PENDING_ROUTE\"");
        }
        awaitRouted("after the revert");
    }

    @Test
    void ordersAreRoutedLaterUnderADelayBelowTheSystemsTimeout() throws Exception {
        Duration delay = Duration.ofMillis(300);  // the demo's exchange timeout is 500 ms
        try (ActiveFault active = journaled(HttpSimulatorFaults.delay(exchange, delay, ORDERS)).inject()) {
            long start = System.nanoTime();
            String order = placeOrder();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(order).contains("\"status\":\"ROUTED\"");
            assertThat(took).isGreaterThanOrEqualTo(delay);
            System.out.printf("MEASURE demo order placed under a %d ms exchange delay in %d ms%n", delay.toMillis(),
                    took.toMillis());
        }
        awaitRouted("after the revert");
    }

    @Test
    void ordersArePendingWhileTheExchangeResetsConnections() throws Exception {
        try (ActiveFault active = journaled(HttpSimulatorFaults.connectionReset(exchange, ORDERS)).inject()) {
            assertThat(placeOrder()).contains("\"status\":\"PENDING_ROUTE\"");
        }
        awaitRouted("after the revert");
    }

    private Fault journaled(Fault fault) {
        return fault.journaledIn(FaultJournal.at(journal));
    }

    private static void awaitRouted(String when) {
        await("an order is ROUTED " + when).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(HttpSimulatorFaultsDemoIT::placeOrder, order -> order.contains("\"status\":\"ROUTED\""));
    }

    private static String placeOrder() throws IOException, InterruptedException {
        HttpResponse<String> placed = HTTP.send(HttpRequest.newBuilder(api.resolve("/orders"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as("POST /orders: %s", placed.body()).isEqualTo(201);
        return placed.body();
    }
}
