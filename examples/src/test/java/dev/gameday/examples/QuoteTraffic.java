package dev.gameday.examples;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The quotes service's traffic: half the requests store a quote (a write, acknowledged with 201 and a Location),
 * half read back a recently stored one.
 */
public final class QuoteTraffic implements Traffic {

    static final String STORE = "store quote";
    static final String READ = "read quote";

    @Override
    public List<TrafficRequest> requests(WriteLedger ledger) {
        return List.of(
                new TrafficRequest(STORE, 0.5,
                        () -> http(STORE).post("/quotes")
                                .header("Content-Type", "application/json")
                                .body(StringBody(session -> randomQuote())),
                        Set.of(201), Optional.of("Location")),
                new TrafficRequest(READ, 0.5,
                        () -> http(READ).get(session -> ledger.recent().orElseThrow()),
                        Set.of(200), Optional.empty()));
    }

    /** Stores ten quotes before the load starts, so reads have something to read from the first second. */
    @Override
    public void seed(URI baseUri, WriteLedger ledger) {
        // HTTP/1.1: java.net.http's default offers an HTTP/2 upgrade, which some servers answer with 400.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 10; i++) {
            HttpRequest request = HttpRequest.newBuilder(baseUri.resolve("/quotes")).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(randomQuote())).build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                String location = response.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(
                        "POST /quotes answered " + response.statusCode() + " without a Location: " + response.body()));
                ledger.acknowledge(location);
            } catch (IOException e) {
                throw new IllegalStateException("The quotes service did not answer POST /quotes: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while seeding quotes", e);
            }
        }
    }

    private static String randomQuote() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "{\"symbol\":\"EUR-USD\",\"bid\":" + random.nextInt(10_000, 12_000) + ",\"ask\":"
                + random.nextInt(12_000, 14_000) + "}";
    }
}
