package dev.gameday.environments.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gameday.environments.ProxyConnections;
import dev.gameday.environments.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo environment in containers, started as experiments start it (the image from scripts/build-images.sh). */
class DemoTradingSystemIT {

    private static final String ORDER =
            "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1.5,\"price\":65000.0}";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void everyLinkCountsWhatTheServiceSendsOnItsPooledConnectionsWhileTheyStayOpen() throws Exception {
        try (DemoTradingSystem system = DemoTradingSystem.builder().start()) {
            Map<String, ProxyConnections> links = new LinkedHashMap<>();
            for (Target target : system.targets()) {
                target.link().ifPresent(link -> links.put(target.name(), link.connections().orElseThrow()));
            }
            assertThat(links).as("every dependency's link reads its open connections")
                    .containsOnlyKeys("redis", "postgres", "exchange");
            Map<String, Long> before = new LinkedHashMap<>();
            for (Map.Entry<String, ProxyConnections> link : links.entrySet()) {
                before.put(link.getKey(), link.getValue().bytesReceived());
            }

            URI api = system.entryPoint().endpoint().uri("http");
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            for (int order = 0; order < 3; order++) {
                HttpResponse<String> placed = http.send(HttpRequest.newBuilder(api.resolve("/orders")).timeout(TIMEOUT)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ORDER))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(placed.statusCode()).as("POST /orders: %s", placed.body()).isEqualTo(201);
                String location = placed.headers().firstValue("Location").orElseThrow();
                HttpResponse<String> read = http.send(HttpRequest.newBuilder(api.resolve(location)).timeout(TIMEOUT)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).as("GET %s", location).isEqualTo(200);
            }

            for (Map.Entry<String, ProxyConnections> link : links.entrySet()) {
                long from = before.get(link.getKey());
                await("bytes received on the open connections of proxy '" + link.getKey() + "' rise above " + from
                        + " under three orders placed and read").atMost(Duration.ofSeconds(10))
                        .until(link.getValue()::bytesReceived, bytes -> bytes > from);
            }
        }
    }
}
