package dev.gameday.faults.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.ProxyConnections;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ToxiproxyTrafficMeterTest {

    private static final ProxyConnections NO_OPEN_CONNECTIONS = () -> 0L;

    private static final String METRICS = """
            # HELP toxiproxy_proxy_received_bytes_total
            # TYPE toxiproxy_proxy_received_bytes_total counter
            toxiproxy_proxy_received_bytes_total{direction="downstream",listener="[::]:8666",proxy="redis",upstream="redis:6379"} 7000
            toxiproxy_proxy_received_bytes_total{direction="upstream",listener="[::]:8666",proxy="redis",upstream="redis:6379"} 1.234567e+06
            toxiproxy_proxy_received_bytes_total{direction="upstream",listener="0.0.0.0:8666",proxy="redis",upstream="redis:6379"} 33
            toxiproxy_proxy_received_bytes_total{direction="upstream",listener="[::]:8667",proxy="redis-replica",upstream="a\\"b,c}:1"} 500
            # HELP toxiproxy_proxy_sent_bytes_total
            # TYPE toxiproxy_proxy_sent_bytes_total counter
            toxiproxy_proxy_sent_bytes_total{direction="upstream",listener="[::]:8666",proxy="redis",upstream="redis:6379"} 99
            """;

    @Test
    void sumsTheUpstreamReceivedCountersOfOneProxy() {
        assertThat(ToxiproxyTrafficMeter.receivedUpstream(METRICS, "redis"))
                .as("both upstream series of 'redis', neither downstream nor the sent counter")
                .isEqualTo(1_234_567 + 33);
        assertThat(ToxiproxyTrafficMeter.receivedUpstream(METRICS, "redis-replica"))
                .as("label values with escaped quotes, commas and braces").isEqualTo(500);
    }

    @Test
    void countsZeroBeforeAnyConnectionThroughTheProxyHasEnded() {
        assertThat(ToxiproxyTrafficMeter.receivedUpstream("", "redis")).isZero();
        assertThat(ToxiproxyTrafficMeter.receivedUpstream(METRICS, "postgres")).isZero();
    }

    @Test
    void addsTheBytesOnOpenConnectionsToThoseOfConnectionsThatEnded() throws Exception {
        HttpServer toxiproxy = serving(200, METRICS);
        AtomicLong open = new AtomicLong(0);
        try {
            ToxiproxyTrafficMeter meter = new ToxiproxyTrafficMeter(endpoint(toxiproxy), "redis", open::get);
            long before = meter.bytesSoFar();

            open.set(4_200);

            assertThat(before).as("the counter alone while no connection is open").isEqualTo(1_234_567 + 33);
            assertThat(meter.bytesSoFar()).as("the counter did not move, the pooled connection received 4,200 bytes")
                    .isEqualTo(1_234_567 + 33 + 4_200);
        } finally {
            toxiproxy.stop(0);
        }
    }

    @Test
    void leavesTheFaultsOwnProbesOutOfTheCount() throws Exception {
        HttpServer toxiproxy = serving(200, METRICS);
        AtomicLong probes = new AtomicLong(0);
        try {
            ToxiproxyTrafficMeter meter = new ToxiproxyTrafficMeter(endpoint(toxiproxy), "redis", () -> 0L, probes::get,
                    true);
            long before = meter.bytesSoFar();

            probes.set(33); // the probe's PINGs, counted by Toxiproxy when their connections ended

            assertThat(meter.bytesSoFar()).as("a fault's probe alone is no traffic of the system under test")
                    .isEqualTo(before - 33);
        } finally {
            toxiproxy.stop(0);
        }
    }

    @Test
    void saysToStartToxiproxyWithProxyMetricsWhenItServesNoMetrics() throws IOException {
        HttpServer toxiproxyWithoutMetrics = serving(404, "");
        try {
            Endpoint api = endpoint(toxiproxyWithoutMetrics);

            assertThatThrownBy(() -> new ToxiproxyTrafficMeter(api, "redis", NO_OPEN_CONNECTIONS).bytesSoFar())
                    .isInstanceOf(IOException.class)
                    .hasMessage("Toxiproxy at http://" + api + "/metrics serves no metrics (HTTP 404), so the bytes sent"
                            + " into proxy 'redis' cannot be counted. Start Toxiproxy with -proxy-metrics, for example"
                            + " new ToxiproxyContainer(image).withCommand(\"-host=0.0.0.0\", \"-proxy-metrics\").");
        } finally {
            toxiproxyWithoutMetrics.stop(0);
        }
    }

    @Test
    void saysWhatToCheckWhenToxiproxyDoesNotAnswer() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> new ToxiproxyTrafficMeter(new Endpoint("127.0.0.1", closedPort), "redis",
                NO_OPEN_CONNECTIONS).bytesSoFar())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Toxiproxy metrics at http://127.0.0.1:" + closedPort + "/metrics could not be"
                        + " read: ")
                .hasMessageEndingWith(". Check that Toxiproxy is running, started with -proxy-metrics.");
    }

    /** A local HTTP server answering every request with this status and body, as Toxiproxy's API would. */
    private static HttpServer serving(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Endpoint endpoint(HttpServer server) {
        return new Endpoint("127.0.0.1", server.getAddress().getPort());
    }
}
