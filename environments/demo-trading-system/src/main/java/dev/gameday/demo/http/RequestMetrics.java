package dev.gameday.demo.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Per-endpoint, per-status latency timers, looked up without building tags on every request. */
final class RequestMetrics {

    /** Bucket bounds around the objectives: p95 under 100 ms normally, degraded past 2 s. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5)};
    private static final int STATUS_RANGE = 1000;

    private final MeterRegistry registry;
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Endpoint endpoint, int status, long nanos) {
        timers.computeIfAbsent(endpoint.ordinal() * STATUS_RANGE + status, key -> Timer.builder("demo.http.requests")
                        .description("API request latency by endpoint and status")
                        .tag("endpoint", endpoint.tag())
                        .tag("status", Integer.toString(status))
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
