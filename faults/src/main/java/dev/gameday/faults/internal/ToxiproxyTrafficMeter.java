package dev.gameday.faults.internal;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.ProxyConnections;
import dev.gameday.faults.TrafficMeter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The bytes the system under test sent into one Toxiproxy proxy: those of connections that have ended, from Toxiproxy's
 * Prometheus counters, which it serves on its API port at {@code /metrics} when started with {@code -proxy-metrics};
 * plus those received so far on the connections still open, from the kernel's TCP statistics
 * ({@link ProxyConnections}).
 *
 * <p>Which counter, checked in Toxiproxy 2.12.0's {@code link.go}: every connection through a proxy has two toxic
 * links, upstream (client to dependency) and downstream. {@code toxiproxy_proxy_received_bytes_total} is added in
 * {@code ToxicLink.read}, which copies the client's socket into the head of the toxic chain, so it counts what the
 * client sent <em>before</em> any toxic runs. The {@code timeout} toxic this project puts on the upstream direction
 * drops the chunks it is handed rather than blocking, so that copy keeps draining the client's socket and every byte
 * the system sends during the fault is counted. {@code toxiproxy_proxy_sent_bytes_total} is added in
 * {@code ToxicLink.write}, <em>after</em> the toxics, and only when the write ended without error: it never counts
 * what a timeout toxic swallowed. So this meter reads the received counter in the upstream direction.
 *
 * <p>Both counters are added once per connection, when its copy ends (the client closed, or the connection broke).
 * A system with pooled connections (Jedis, HikariCP) keeps them open for its whole life, so the counter alone would not
 * move during a baseline or a fault however much it sends: hence the live part, the {@code bytes_received} the kernel
 * counts on each connection open on the proxy's listening port, which also counts before any toxic runs. A connection
 * that ends between two readings moves from the live part to the counter; depending on when each is read, its bytes
 * may be counted twice or not at all for that interval (and the total may even fall a little), which is good enough
 * to show that traffic flowed.
 */
final class ToxiproxyTrafficMeter implements TrafficMeter {

    static final String COUNTER = "toxiproxy_proxy_received_bytes_total";
    static final String DIRECTION = "upstream";
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);

    private final URI metrics;
    private final String proxyName;
    private final ProxyConnections openConnections;
    private final LongSupplier probeBytes;
    private final boolean countsDuringFault;
    private final HttpClient http;

    ToxiproxyTrafficMeter(Endpoint toxiproxyApi, String proxyName, ProxyConnections openConnections) {
        this(toxiproxyApi, proxyName, openConnections, () -> 0, true);
    }

    /**
     * @param probeBytes        what the fault's own probes have sent through the proxy so far, left out of the count
     * @param countsDuringFault false for a fault that refuses connections
     */
    ToxiproxyTrafficMeter(Endpoint toxiproxyApi, String proxyName, ProxyConnections openConnections,
                          LongSupplier probeBytes, boolean countsDuringFault) {
        this.metrics = toxiproxyApi.uri("http").resolve("/metrics");
        this.proxyName = Objects.requireNonNull(proxyName, "proxyName");
        this.openConnections = Objects.requireNonNull(openConnections, "openConnections");
        this.probeBytes = Objects.requireNonNull(probeBytes, "probeBytes");
        this.countsDuringFault = countsDuringFault;
        this.http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
    }

    @Override
    public boolean countsDuringFault() {
        return countsDuringFault;
    }

    @Override
    public String describe() {
        return "bytes sent into Toxiproxy proxy '" + proxyName + "' (" + COUNTER + ", " + DIRECTION + ", " + metrics
                + "; plus bytes_received of its open connections)";
    }

    @Override
    public long bytesSoFar() throws Exception {
        return closedConnections() + openConnections.bytesReceived() - probeBytes.getAsLong();
    }

    private long closedConnections() throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(metrics).timeout(HTTP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("Toxiproxy metrics at " + metrics + " could not be read: " + e
                    + ". Check that Toxiproxy is running, started with -proxy-metrics.", e);
        }
        if (response.statusCode() == 404) {
            throw new IOException("Toxiproxy at " + metrics + " serves no metrics (HTTP 404), so the bytes sent into"
                    + " proxy '" + proxyName + "' cannot be counted. Start Toxiproxy with -proxy-metrics, for example"
                    + " new ToxiproxyContainer(image).withCommand(\"-host=0.0.0.0\", \"-proxy-metrics\").");
        }
        if (response.statusCode() != 200) {
            throw new IOException("Toxiproxy metrics at " + metrics + ": expected HTTP 200, but got "
                    + response.statusCode() + ". Check that Toxiproxy is running, started with -proxy-metrics.");
        }
        return receivedUpstream(response.body(), proxyName);
    }

    /**
     * The sum of the upstream received-bytes counters of one proxy in Prometheus's text format; zero when there is
     * none yet (Toxiproxy shows a proxy's counter only once one of its connections has ended).
     */
    static long receivedUpstream(String exposition, String proxyName) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            String sample = line.strip();
            if (!sample.startsWith(COUNTER + "{")) {
                continue;
            }
            int close = labelsEnd(sample, COUNTER.length() + 1);
            Map<String, String> labels = labels(sample.substring(COUNTER.length() + 1, close));
            if (proxyName.equals(labels.get("proxy")) && DIRECTION.equals(labels.get("direction"))) {
                // After the value an optional timestamp may follow.
                total += Double.parseDouble(sample.substring(close + 1).strip().split("\\s+")[0]);
            }
        }
        return (long) total;
    }

    private static int labelsEnd(String sample, int from) {
        boolean quoted = false;
        for (int i = from; i < sample.length(); i++) {
            char c = sample.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '}') {
                return i;
            }
        }
        throw new IllegalArgumentException("Toxiproxy metrics: expected a closing '}' in '" + sample + "'.");
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            if (equals < 0 || equals + 1 >= text.length() || text.charAt(equals + 1) != '"') {
                break;
            }
            String name = text.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            for (; j < text.length() && text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length()) {
                    char escaped = text.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(name, value.toString());
            i = j + 1;
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
        return labels;
    }
}
