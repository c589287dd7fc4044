package dev.gameday.assertions;

import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Latency at a percentile, over every request in the window whatever its outcome, stays below a threshold.
 *
 * <pre>{@code
 * Criterion fast = Criteria.latency().percentile(99.9).below(Duration.ofMillis(250));   // percentile(0.999) is rejected
 * }</pre>
 *
 * @param percentile between 1 (exclusive) and 100 (inclusive), for example 95; a value in (0, 1] is rejected as
 *                   almost surely a fraction
 * @param threshold  the latency the percentile must stay below
 */
public record LatencyCriterion(double percentile, Duration threshold) implements Criterion {

    public LatencyCriterion {
        Objects.requireNonNull(threshold, "threshold");
        if (percentile > 0 && percentile <= 1) {
            // almost surely a fraction: p0.95 (or p1) is the fastest sliver of requests, never a latency objective
            String meant = Units.plain(percentile * 100);
            throw new IllegalArgumentException("Latency criterion: the percentile is a percentage: percentile("
                    + Units.plain(percentile) + ") means p" + Units.plain(percentile) + ", the fastest requests; for p"
                    + meant + " write percentile(" + meant + ") or use p50(), p95(), p99().");
        }
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("Latency criterion: percentile must be > 0 and <= 100, but was "
                    + percentile + ". Use Criteria.latency().p95() or .percentile(99.9).");
        }
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("Latency criterion: threshold must be > 0, but was " + threshold
                    + ". Use Criteria.latency().p95().below(Duration.ofMillis(100)).");
        }
    }

    /** {@code p95}, {@code p99.9}. */
    public String percentileName() {
        return percentile == Math.rint(percentile)
                ? "p" + (long) percentile
                : "p" + String.format(Locale.ROOT, "%s", percentile);
    }

    @Override
    public String describe() {
        return percentileName() + " latency " + expected();
    }

    @Override
    public String expected() {
        return "< " + Figure.millis(threshold);
    }

    @Override
    public Check check(Window window) {
        Duration actual = window.latencyAtPercentile(percentile);
        return new Check(actual.compareTo(threshold) < 0, Figure.millis(actual),
                "max " + Figure.millis(window.maxLatency()) + " over " + Figure.count(window.requests()) + " requests");
    }
}
