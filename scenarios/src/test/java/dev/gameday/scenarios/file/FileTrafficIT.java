package dev.gameday.scenarios.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import dev.gameday.scenarios.internal.load.GatlingLauncher;
import dev.gameday.scenarios.internal.load.LoadPlan;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineRecorder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's traffic through real Gatling, in this JVM, against a server on loopback: the placeholders are rendered
 * per request, writes are recorded from their header, and reads of ${write} read them.
 */
class FileTrafficIT {

    @TempDir
    Path results;

    @Test
    void sendsTheFilesRequestsWithTheirPlaceholdersRendered() throws Exception {
        ConcurrentHashMap<String, Boolean> bodies = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger readsOfWrites = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST") && path.equals("/orders")
                    && "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                bodies.put(body, true);
                exchange.getResponseHeaders().add("Location", "/orders/" + created.incrementAndGet());
                exchange.sendResponseHeaders(201, -1);
            } else if (path.startsWith("/orders/")) {
                readsOfWrites.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
            Experiment experiment = ExperimentFile.parse(ExperimentFileTest.VALID, "my.yaml", Path.of("."),
                    new RecordingEnvironments());
            WriteLedger ledger = new WriteLedger();
            experiment.traffic().seed(base, ledger);
            assertThat(ledger.size()).isEqualTo(20);

            TimelineRecorder recorder = TimelineRecorder.create();
            List<TrafficRequest> requests = experiment.traffic().requests(ledger);
            List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
            LoadPlan plan = new LoadPlan(base, requests, series, 100, Duration.ZERO, Duration.ofSeconds(3),
                    Duration.ofSeconds(2), recorder, ledger, started -> recorder.start(started.offered()));

            assertThat(GatlingLauncher.run(plan, results)).isZero();

            Timeline timeline = recorder.snapshot();
            var placed = timeline.window(Duration.ZERO, Duration.ofSeconds(4), "place order");
            var read = timeline.window(Duration.ZERO, Duration.ofSeconds(4), "read order");
            assertThat(placed.requests()).isGreaterThan(100);
            assertThat(placed.count(Outcome.SUCCESS)).isEqualTo(placed.requests());
            assertThat(read.count(Outcome.SUCCESS)).isEqualTo(read.requests());
            assertThat(readsOfWrites.get()).isEqualTo(read.requests());
            assertThat(ledger.size()).isEqualTo(20 + placed.requests());
            assertThat(bodies.keySet()).allMatch(b -> b.matches("\\{\"symbol\":\"BTC-USD\",\"quantity\":\\d{1,3}}"))
                    .hasSizeGreaterThan(10);
        } finally {
            server.stop(0);
        }
    }
}
