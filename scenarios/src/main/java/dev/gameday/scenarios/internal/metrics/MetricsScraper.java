package dev.gameday.scenarios.internal.metrics;

import dev.gameday.scenarios.ServerMetric;
import dev.gameday.timeline.TimelineRecorder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads the system's Prometheus metrics into the timeline while the run goes on: every period (a second) it fetches
 * each metrics page the experiment's {@link ServerMetric}s name, from the entry point's own endpoint (past any proxy,
 * so that a network fault on the entry point does not blind the harness), and records each gauge's value as a
 * server-side reading on the run's clock.
 *
 * <p>The scraper is part of the harness, not of the system under test: a page that does not answer in time, answers
 * with an error or lacks a gauge gives missing readings, never a failure of the system; the first such problem of each
 * kind is told once through {@code note} (the live progress), and so is the first good reading after it.
 *
 * <pre>{@code
 * try (MetricsScraper scraper = MetricsScraper.start(URI.create("http://localhost:8080"), metrics, recorder,
 *         Duration.ofSeconds(1), progress::note)) {
 *     // ... the load runs ...
 * }
 * }</pre>
 */
public final class MetricsScraper implements AutoCloseable {

    /**
     * A page that has not answered within this share of the period, or within {@link #MINIMUM_TIMEOUT} if that is
     * longer, is given up: the next reading is then at most that late (readings never overlap).
     */
    private static final double TIMEOUT_SHARE = 0.8;
    /** The first request of a JVM loads the HTTP client's classes: a few hundred milliseconds on a busy machine. */
    private static final Duration MINIMUM_TIMEOUT = Duration.ofSeconds(2);

    private final URI base;
    private final Map<String, List<ServerMetric>> byPath;
    private final TimelineRecorder recorder;
    private final Consumer<String> note;
    private final Duration timeout;
    private final HttpClient client;
    private final ScheduledExecutorService executor;
    private final Map<String, String> lastProblem = new LinkedHashMap<>();

    private MetricsScraper(URI base, List<ServerMetric> metrics, TimelineRecorder recorder, Duration period,
                           Consumer<String> note) {
        this.base = Objects.requireNonNull(base, "base");
        this.byPath = metrics.stream().collect(Collectors.groupingBy(ServerMetric::path, LinkedHashMap::new,
                Collectors.toList()));
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.note = Objects.requireNonNull(note, "note");
        Duration share = Duration.ofNanos((long) (period.toNanos() * TIMEOUT_SHARE));
        this.timeout = share.compareTo(MINIMUM_TIMEOUT) > 0 ? share : MINIMUM_TIMEOUT;
        // HTTP/1.1: the default client asks to upgrade to HTTP/2 in a header that some servers answer with 400
        // no client (and so none of its threads) for an experiment that reads nothing
        this.client = metrics.isEmpty() ? null
                : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "gameday-metrics-scraper");
            thread.setDaemon(true);
            return thread;
        });
        metrics.forEach(metric -> recorder.serverSeries(metric.name()));
    }

    /**
     * Starts reading at once and then every {@code period}, into a recorder that has started.
     *
     * @param base    the system's entry point, for example {@code http://localhost:32771}
     * @param metrics what to read; nothing is read without any
     * @param note    hears the first problem of each kind, and when readings resume
     */
    public static MetricsScraper start(URI base, List<ServerMetric> metrics, TimelineRecorder recorder, Duration period,
                                       Consumer<String> note) {
        MetricsScraper scraper = new MetricsScraper(base, List.copyOf(metrics), recorder, period, note);
        if (!metrics.isEmpty()) {
            scraper.executor.scheduleAtFixedRate(scraper::scrapeOnce, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        }
        return scraper;
    }

    /** Reads every page once and records every gauge; never throws. */
    void scrapeOnce() {
        byPath.forEach((path, metrics) -> {
            URI uri = base.resolve(path);
            PrometheusText.Parsed page;
            try {
                page = fetch(uri);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed while reading: the run is over
                return;
            } catch (Exception e) {
                metrics.forEach(metric -> recorder.serverSample(metric.name(), OptionalDouble.empty()));
                problem(path, "could not read the system's metrics at " + uri + " (" + describe(e) + "); its readings"
                        + " are missing until it answers, which says nothing about the system under test");
                return;
            }
            for (ServerMetric metric : metrics) {
                OptionalDouble value = page.sum(metric.metric(), metric.labels());
                recorder.serverSample(metric.name(), value);
                if (value.isEmpty()) {
                    problem(path + " " + metric.name(), "the system's metrics at " + uri + " have no sample "
                            + metric.selector() + " for the server-side series '" + metric.name() + "'; its readings"
                            + " are missing. Check the metric's name and labels against the page");
                } else if (lastProblem.remove(path + " " + metric.name()) != null) {
                    note.accept("server-side series '" + metric.name() + "' is read again");
                }
            }
            if (lastProblem.remove(path) != null) {
                note.accept("the system's metrics at " + uri + " answer again");
            }
        });
    }

    private PrometheusText.Parsed fetch(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "text/plain;version=0.0.4").GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("status " + response.statusCode() + ", expected 200");
        }
        return PrometheusText.parse(response.body());
    }

    private void problem(String key, String message) {
        if (lastProblem.put(key, message) == null) {
            note.accept(message);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }

    /** Stops reading; a reading under way is abandoned. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
