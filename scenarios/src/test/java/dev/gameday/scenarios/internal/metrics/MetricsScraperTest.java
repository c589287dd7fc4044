package dev.gameday.scenarios.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.gameday.scenarios.ServerMetric;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.ServerSample;
import dev.gameday.timeline.TimelineRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scraper against a real HTTP server on loopback that serves the demo's captured page, then fails, then serves
 * again: readings while it answers, missing readings (and one note) while it does not.
 */
class MetricsScraperTest {

    private static final ServerMetric BREAKER_OPEN = ServerMetric.gauge("breaker-open",
            "resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "open"));
    private static final ServerMetric HEAP = ServerMetric.gauge("heap", "jvm_memory_used_bytes", Map.of("area", "heap"));
    private static final ServerMetric MISSPELT = ServerMetric.gauge("misspelt", "resilience4j_circuitbreaker_stat");

    private final AtomicReference<String> page = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private TimelineRecorder recorder;

    @BeforeEach
    void serve() throws IOException {
        page.set(PrometheusTextTest.demoPage());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = page.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            served.incrementAndGet();
        });
        server.start();
        recorder = TimelineRecorder.create();
        recorder.start(OfferedLoad.constant(1, Duration.ofSeconds(60)));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void recordsEachGaugeAsAServerSideSeriesAndAMisspeltOneAsMissingSaidOnce() {
        MetricsScraper scraper = MetricsScraper.start(base(), List.of(BREAKER_OPEN, HEAP, MISSPELT), recorder,
                Duration.ofMillis(200), notes::add);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> served.get() >= 3);
            page.set(page.get().replace("resilience4j_circuitbreaker_state{name=\"exchange\",state=\"open\"} 0.0",
                    "resilience4j_circuitbreaker_state{name=\"exchange\",state=\"open\"} 1.0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.snapshot().serverSeries().get("breaker-open")
                    .stream().anyMatch(s -> s.value().orElse(0) == 1.0));
        } finally {
            scraper.close();
        }

        Map<String, List<ServerSample>> series = recorder.snapshot().serverSeries();
        assertThat(series).containsOnlyKeys("breaker-open", "heap", "misspelt");
        assertThat(series.get("breaker-open").get(0).value()).hasValue(0.0);
        assertThat(series.get("heap")).allSatisfy(s -> assertThat(s.value().getAsDouble()).isGreaterThan(2e7));
        assertThat(series.get("misspelt")).isNotEmpty().allMatch(ServerSample::isMissing);
        assertThat(notes).as("said once, however many readings are missing")
                .filteredOn(note -> note.contains("'misspelt'")).singleElement().asString()
                .contains("have no sample resilience4j_circuitbreaker_stat for the server-side series 'misspelt'");
    }

    @Test
    void aPageThatFailsGivesMissingReadingsNeverAnErrorAndReadingsResumeWhenItAnswers() {
        MetricsScraper scraper = MetricsScraper.start(base(), List.of(BREAKER_OPEN), recorder, Duration.ofMillis(200),
                notes::add);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> served.get() >= 2);
            status.set(500);
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.snapshot().serverSeries().get("breaker-open")
                    .stream().filter(ServerSample::isMissing).count() >= 3);
            status.set(200);
            int before = recorder.snapshot().serverSeries().get("breaker-open").size();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                List<ServerSample> now = recorder.snapshot().serverSeries().get("breaker-open");
                return now.size() > before && !now.get(now.size() - 1).isMissing();
            });
        } finally {
            scraper.close();
        }

        List<ServerSample> readings = recorder.snapshot().serverSeries().get("breaker-open");
        assertThat(readings.get(0).isMissing()).isFalse();
        assertThat(readings).filteredOn(ServerSample::isMissing).hasSizeGreaterThanOrEqualTo(3);
        // (a busy machine may add a timed-out reading: only the 500 and the recovery are certain)
        assertThat(notes).filteredOn(note -> note.contains("status 500")).singleElement().asString()
                .contains("could not read the system's metrics at " + base() + "/metrics",
                        "says nothing about the system under test");
        assertThat(notes).last().isEqualTo("the system's metrics at " + base() + "/metrics answer again");
    }

    @Test
    void anExperimentThatScrapesNothingReadsNothing() throws InterruptedException {
        MetricsScraper scraper = MetricsScraper.start(base(), List.of(), recorder, Duration.ofMillis(50), notes::add);
        Thread.sleep(300); // a scraper that read anything would have read a few times by now
        scraper.close();
        assertThat(served.get()).isZero();
        assertThat(recorder.snapshot().serverSeries()).isEmpty();
        assertThat(notes).isEmpty();
    }

    @Test
    void anEndpointThatRefusesConnectionsGivesMissingReadings() {
        URI nobody = base();
        server.stop(0);
        MetricsScraper scraper = MetricsScraper.start(nobody, List.of(BREAKER_OPEN), recorder, Duration.ofMillis(200),
                notes::add);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.snapshot().serverSeries().get("breaker-open")
                    .size() >= 2);
        } finally {
            scraper.close();
        }
        assertThat(recorder.snapshot().serverSeries().get("breaker-open")).allMatch(ServerSample::isMissing);
        assertThat(notes).first().asString().startsWith("could not read the system's metrics at " + nobody);
    }
}
