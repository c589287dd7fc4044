package dev.gameday.scenarios.catalogue;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.gameday.scenarios.DegradedAnswer;
import dev.gameday.scenarios.ExperimentException;
import dev.gameday.scenarios.Traffic;
import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo trading system's traffic: half the requests place an order (a write the system acknowledges with
 * {@code 201} and a {@code Location}), half read back a recently placed one. An order acknowledged
 * {@code PENDING_ROUTE} (the exchange's breaker open) is a degraded answer, not full service.
 *
 * <pre>{@code
 * Traffic orders = new OrderTraffic();
 * }</pre>
 */
public final class OrderTraffic implements Traffic {

    public static final String PLACE_ORDER = "place order";
    public static final String READ_ORDER = "read order";
    /**
     * An order acknowledged without reaching the exchange (its breaker open, or the exchange failing): the service's
     * fallback, a {@code 201} that is not full service.
     */
    public static final DegradedAnswer PENDING_ROUTE = DegradedAnswer.jsonField("status", "PENDING_ROUTE");
    /** Orders placed before the load starts, so that reads have something to read from the first second. */
    public static final int SEED_ORDERS = 20;

    private static final List<String> SYMBOLS = List.of("BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD", "ADA-USD", "LTC-USD");
    private static final Duration SEED_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public List<TrafficRequest> requests(WriteLedger ledger) {
        return List.of(
                new TrafficRequest(PLACE_ORDER, 0.5,
                        () -> http(PLACE_ORDER).post("/orders")
                                .header("Content-Type", "application/json")
                                .body(StringBody(session -> randomOrder())),
                        Set.of(201), Optional.of("Location")).degradedWhen(PENDING_ROUTE),
                new TrafficRequest(READ_ORDER, 0.5,
                        () -> http(READ_ORDER).get(session -> ledger.recent().orElseThrow()),
                        Set.of(200), Optional.empty()));
    }

    /** Places {@link #SEED_ORDERS} orders, which also proves the service accepts orders before any load starts. */
    @Override
    public void seed(URI baseUri, WriteLedger ledger) {
        // HTTP/1.1: the default client asks to upgrade to HTTP/2 in a header that some servers answer with 400
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(SEED_TIMEOUT)
                .build();
        for (int i = 0; i < SEED_ORDERS; i++) {
            HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/orders"))
                    .timeout(SEED_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(randomOrder()))
                    .build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                Optional<String> location = response.headers().firstValue("Location");
                if (response.statusCode() != 201 || location.isEmpty()) {
                    throw new ExperimentException("The system under test did not accept an order before the load started:"
                            + " POST " + request.uri() + " answered " + response.statusCode() + " " + response.body()
                            + " (expected 201 with a Location header). Check its logs; it must be healthy before the"
                            + " experiment starts.");
                }
                ledger.acknowledge(location.get());
            } catch (IOException e) {
                throw new ExperimentException("The system under test did not answer at " + request.uri() + ": "
                        + e.getMessage() + ". Is it running, and is this its address?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExperimentException("Interrupted while seeding orders", e);
            }
        }
    }

    static String randomOrder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format(Locale.ROOT,
                "{\"account\":\"ACC-%d\",\"symbol\":\"%s\",\"side\":\"%s\",\"quantity\":%.4f,\"price\":%.2f}",
                random.nextInt(1, 1_000), SYMBOLS.get(random.nextInt(SYMBOLS.size())),
                random.nextBoolean() ? "BUY" : "SELL", random.nextDouble(0.01, 2.0), random.nextDouble(10, 60_000));
    }
}
