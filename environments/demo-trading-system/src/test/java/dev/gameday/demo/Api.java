package dev.gameday.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small client for the demo trading system's API, as a test sees it; every call is bounded by a timeout. */
final class Api {

    static final String ORDER = "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1.5,\"price\":65000.0}";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Api(URI base) {
        this.base = base;
    }

    /** One answer: status, headers, body, and how long it took. */
    record Reply(int status, HttpResponse<String> response, Duration took) {

        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException notJson) {
                throw new UncheckedIOException("Expected a JSON body but got: " + response.body(), notJson);
            }
        }

        String text(String field) {
            return json().path(field).asText();
        }
    }

    Reply placeOrder() {
        return post("/orders", ORDER);
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Reply get(String path) {
        return get(path, TIMEOUT);
    }

    Reply get(String path, Duration timeout) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build());
    }

    /** Sends a GET without waiting for the answer. */
    CompletableFuture<HttpResponse<String>> getLater(String path, Duration timeout) {
        return http.sendAsync(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Reply send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException failed) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed after "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms", failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + request.uri(), interrupted);
        }
    }
}
