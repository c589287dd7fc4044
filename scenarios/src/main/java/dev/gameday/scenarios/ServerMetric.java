package dev.gameday.scenarios;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A gauge of the system under test that the experiment reads into its timeline as a server-side series: the harness
 * polls the system's Prometheus metrics (on its entry point, {@code GET /metrics} unless {@link #at(String) told
 * otherwise}) every second while the load runs and records the gauge's value, so that objectives can judge the
 * system's own view of itself (its breaker's state, its pool's usage, its memory) phase by phase.
 *
 * <p>The samples whose name is {@code metric} and whose labels include every one of {@code labels} are added
 * together: {@code jvm_memory_used_bytes} with {@code area="heap"} is the heap over all its pools. A reading the
 * harness cannot take (the endpoint does not answer, or has no such sample) is recorded as missing, never as the
 * system's failure.
 *
 * <pre>{@code
 * ServerMetric breakerOpen = ServerMetric.gauge("breaker-open", "resilience4j_circuitbreaker_state",
 *         Map.of("name", "exchange", "state", "open"));
 * ServerMetric heap = ServerMetric.gauge("heap", "jvm_memory_used_bytes", Map.of("area", "heap"));
 * Experiment experiment = Experiment.named("exchange-breaker", "The exchange fails until the breaker opens")
 *         .given(environment).when(new OrderTraffic(), OpenLoad.ratePerSecond(50))
 *         .inject(fault, schedule)
 *         .scraping(breakerOpen, heap)
 *         .then(ObjectiveSet.builder().during(Phase.AFTER, Criteria.serverMetric("breaker-open").atMost(0)).build());
 * }</pre>
 *
 * @param name   the series' name on the timeline and in objectives, for example {@code breaker-open}
 * @param metric the Prometheus metric name, for example {@code resilience4j_circuitbreaker_state}
 * @param labels labels a sample must have, with these values; others are ignored
 * @param path   where the system serves its metrics on its entry point, for example {@code /metrics}
 */
public record ServerMetric(String name, String metric, Map<String, String> labels, String path) {

    /** Where the demo trading system, and many services, serve their Prometheus metrics. */
    public static final String DEFAULT_PATH = "/metrics";

    public ServerMetric {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9 ._-]*")) {
            throw new IllegalArgumentException("Server metric: the series' name must be letters, digits, spaces, dots,"
                    + " dashes or underscores, such as 'breaker-open', but was '" + name + "'.");
        }
        if (metric == null || !metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("Server metric '" + name + "': '" + metric + "' is not a Prometheus"
                    + " metric name (letters, digits, underscores and colons, not starting with a digit), such as"
                    + " 'resilience4j_circuitbreaker_state'.");
        }
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("Server metric '" + name + "': the metrics path must start with '/', such"
                    + " as '/metrics', but was '" + path + "'.");
        }
    }

    /** A gauge: samples of {@code metric} with every one of these labels, added together. */
    public static ServerMetric gauge(String name, String metric, Map<String, String> labels) {
        return new ServerMetric(name, metric, labels, DEFAULT_PATH);
    }

    /** A gauge: every sample of {@code metric}, added together. */
    public static ServerMetric gauge(String name, String metric) {
        return gauge(name, metric, Map.of());
    }

    /** The same gauge, read from another path of the entry point, for example {@code /actuator/prometheus}. */
    public ServerMetric at(String metricsPath) {
        return new ServerMetric(name, metric, labels, metricsPath);
    }

    /** How reports show what it reads: {@code resilience4j_circuitbreaker_state{name="exchange",state="open"}}. */
    public String selector() {
        return labels.isEmpty() ? metric : metric + new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"").collect(Collectors.joining(",", "{", "}"));
    }
}
