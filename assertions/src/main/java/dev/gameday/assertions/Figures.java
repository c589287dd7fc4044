package dev.gameday.assertions;

import dev.gameday.timeline.FailureBreakdown;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.List;

/**
 * The standard figures of a window of requests, for reports: counts, success, rates and latency percentiles. Latencies
 * are measured from each request's intended start; {@code sentP95} and {@code sentP99} from its actual send, which
 * leaves out the load generator's own delay (they differ only where the load generator fell behind).
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
 * @param sentP95        95th percentile latency from the actual send
 * @param sentP99        99th percentile latency from the actual send
 * @param failureBreakdown what the failures were: each error status, and each kind of missing response
 * @param degraded       answered with an accepted status but degraded content (counted in {@code successPercent}); 0
 *                       unless the traffic says how to tell a degraded answer
 */
public record Figures(long requests, long errorStatus, long noResponse, double successPercent, double requestRate,
                      double successRate, Duration p50, Duration p95, Duration p99, Duration max, Duration sentP95,
                      Duration sentP99, FailureBreakdown failureBreakdown, long degraded) {

    public Figures {
        java.util.Objects.requireNonNull(failureBreakdown, "failureBreakdown");
    }

    public static Figures of(Window window) {
        Window sent = window.asSent();
        return new Figures(window.requests(), window.count(Outcome.ERROR_STATUS), window.count(Outcome.NO_RESPONSE),
                window.successPercent(), window.requestRate(), window.successRate(),
                window.latencyAtPercentile(50), window.latencyAtPercentile(95), window.latencyAtPercentile(99),
                window.maxLatency(), sent.latencyAtPercentile(95), sent.latencyAtPercentile(99), window.failureBreakdown(),
                window.degraded());
    }

    /** Whether the load generator's own delay moved p95 or p99 by at least a millisecond. */
    public boolean injectorDelayShows() {
        return p95.minus(sentP95).toMillis() >= 1 || p99.minus(sentP99).toMillis() >= 1;
    }

    public long failures() {
        return errorStatus + noResponse;
    }

    /** Share of requests answered in full (neither failed nor degraded) in percent, NaN if there were none. */
    public double fullServicePercent() {
        return requests == 0 ? Double.NaN : 100.0 * (requests - failures() - degraded) / requests;
    }

    /**
     * What the failures were, largest first, adding up to {@link #failures()}: for example
     * {@code [503 ×412, timeout ×300]}; empty when every request succeeded.
     */
    public List<FailureBreakdown.Count> failureCounts() {
        return failureBreakdown.counts(errorStatus, noResponse);
    }

    /** {@code 503 ×412, timeout ×300}: the failure counts joined with the separator; empty when there were none. */
    public String describeFailures(String separator) {
        return describe(failureCounts(), separator);
    }

    static String describe(List<FailureBreakdown.Count> counts, String separator) {
        return String.join(separator, counts.stream().map(FailureBreakdown.Count::toString).toList());
    }
}
