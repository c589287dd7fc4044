package dev.gameday.assertions;

import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Latency at a percentile, over every request in the window whatever its outcome, stays below a threshold.
 *
 * @param percentile between 0 (exclusive) and 100 (inclusive), for example 95
 * @param threshold  the latency the percentile must stay below
 */
public record LatencyCriterion(double percentile, Duration threshold) implements Criterion {

    public LatencyCriterion {
        Objects.requireNonNull(threshold, "threshold");
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
