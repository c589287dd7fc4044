package dev.gameday.faults.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gameday.environments.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ToxiproxyTrafficMeterTest {

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
    void saysToStartToxiproxyWithProxyMetricsWhenItServesNoMetrics() throws IOException {
        HttpServer toxiproxyWithoutMetrics = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        toxiproxyWithoutMetrics.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        toxiproxyWithoutMetrics.start();
        try {
            Endpoint api = new Endpoint("127.0.0.1", toxiproxyWithoutMetrics.getAddress().getPort());

            assertThatThrownBy(() -> new ToxiproxyTrafficMeter(api, "redis").bytesSoFar())
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

        assertThatThrownBy(() -> new ToxiproxyTrafficMeter(new Endpoint("127.0.0.1", closedPort), "redis").bytesSoFar())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Toxiproxy metrics at http://127.0.0.1:" + closedPort + "/metrics could not be"
                        + " read: ")
                .hasMessageEndingWith(". Check that Toxiproxy is running, started with -proxy-metrics.");
    }
}
