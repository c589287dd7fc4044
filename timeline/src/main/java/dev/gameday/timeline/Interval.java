package dev.gameday.timeline;

import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * The requests that <em>started</em> in one second of the timeline: a latency histogram (microseconds) per series
 * and outcome. Immutable; {@link Window}s add intervals together.
 */
public final class Interval {

    static final int OUTCOMES = Outcome.values().length;

    private final int second;
    private final Histogram[] histograms; // [series * OUTCOMES + outcome], null where nothing was recorded

    Interval(int second, Histogram[] histograms) {
        this.second = second;
        this.histograms = histograms;
    }

    /** Seconds since the timeline's origin at which this interval starts. */
    public int second() {
        return second;
    }

    /** Requests of the given series index and outcome that started in this second. */
    public long count(int series, Outcome outcome) {
        Histogram histogram = histograms[series * OUTCOMES + outcome.ordinal()];
        return histogram == null ? 0 : histogram.getTotalCount();
    }

    int seriesCount() {
        return histograms.length / OUTCOMES;
    }

    /** A copy of the latency histogram (microseconds) for one series and outcome; empty if none were recorded. */
    public Histogram latencies(int series, Outcome outcome) {
        Histogram histogram = histograms[series * OUTCOMES + outcome.ordinal()];
        return histogram == null ? TimelineRecorder.newHistogram() : histogram.copy();
    }

    void addTo(Histogram[] perOutcome, IntPredicate series) {
        for (int s = 0; s < seriesCount(); s++) {
            if (!series.test(s)) {
                continue;
            }
            for (int o = 0; o < OUTCOMES; o++) {
                Histogram histogram = histograms[s * OUTCOMES + o];
                if (histogram != null) {
                    perOutcome[o].add(histogram);
                }
            }
        }
    }
}
