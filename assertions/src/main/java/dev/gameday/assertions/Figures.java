package dev.gameday.assertions;

import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Window;
import java.time.Duration;

/**
 * The standard figures of a window of requests, for reports: counts, success, rates and latency percentiles.
 *
 * @param requests       requests that started in the window
 * @param errorStatus    answered with an error status
 * @param noResponse     not answered (timeout, refused, reset)
 * @param successPercent share of successful requests, NaN if there were none
 * @param requestRate    requests started per second
 * @param successRate    successful requests per second
 * @param p50            median latency
 * @param p95            95th percentile latency
 * @param p99            99th percentile latency
 * @param max            slowest request
 */
public record Figures(long requests, long errorStatus, long noResponse, double successPercent, double requestRate,
                      double successRate, Duration p50, Duration p95, Duration p99, Duration max) {

    public static Figures of(Window window) {
        return new Figures(window.requests(), window.count(Outcome.ERROR_STATUS), window.count(Outcome.NO_RESPONSE),
                window.successPercent(), window.requestRate(), window.successRate(),
                window.latencyAtPercentile(50), window.latencyAtPercentile(95), window.latencyAtPercentile(99),
                window.maxLatency());
    }

    public long failures() {
        return errorStatus + noResponse;
    }
}
