package dev.gameday.timeline;

import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * The requests that were <em>due to start</em> in one second of the timeline: per series and outcome a histogram
 * (microseconds) of their latency from the intended start, and per series one of their latency from the actual send.
 * Immutable; {@link Window}s add intervals together.
 */
public final class Interval {

    static final int OUTCOMES = Outcome.values().length;
    /** Per series: one response-time histogram per outcome, then the service-time histogram. */
    static final int HISTOGRAMS_PER_SERIES = OUTCOMES + 1;
    /** Offset of the service-time histogram within a series' histograms. */
    static final int SERVICE_TIME = OUTCOMES;

    private final int second;
    private final Histogram[] histograms; // [series * HISTOGRAMS_PER_SERIES + offset], null where nothing was recorded
    private final FailureBreakdown[] failures; // [series], null where none was recorded

    Interval(int second, Histogram[] histograms) {
        this(second, histograms, new FailureBreakdown[histograms.length / HISTOGRAMS_PER_SERIES]);
    }

    Interval(int second, Histogram[] histograms, FailureBreakdown[] failures) {
        this.second = second;
        this.histograms = histograms;
        this.failures = failures;
    }

    /** The same histograms with the given failure breakdowns, one per series (null for none). */
    Interval withFailures(FailureBreakdown[] newFailures) {
        return new Interval(second, histograms, newFailures.clone());
    }

    /** Seconds since the timeline's origin at which this interval starts. */
    public int second() {
        return second;
    }

    /** Requests of the given series index and outcome that started in this second. */
    public long count(int series, Outcome outcome) {
        Histogram histogram = histograms[series * HISTOGRAMS_PER_SERIES + outcome.ordinal()];
        return histogram == null ? 0 : histogram.getTotalCount();
    }

    /** What the unsuccessful requests of the given series index that started in this second were. */
    public FailureBreakdown failures(int series) {
        FailureBreakdown breakdown = series < failures.length ? failures[series] : null;
        return breakdown == null ? FailureBreakdown.NONE : breakdown;
    }

    /** The failure breakdown of the selected series, added together. */
    FailureBreakdown failures(IntPredicate series) {
        FailureBreakdown sum = FailureBreakdown.NONE;
        for (int s = 0; s < failures.length; s++) {
            if (failures[s] != null && series.test(s)) {
                sum = sum.plus(failures[s]);
            }
        }
        return sum;
    }

    int seriesCount() {
        return histograms.length / HISTOGRAMS_PER_SERIES;
    }

    /**
     * A copy of the histogram (microseconds) of the latency from the intended start, for one series and outcome; empty
     * if none were recorded.
     */
    public Histogram latencies(int series, Outcome outcome) {
        return copy(series * HISTOGRAMS_PER_SERIES + outcome.ordinal());
    }

    /** A copy of the histogram (microseconds) of the latency from the actual send, all outcomes of one series. */
    public Histogram serviceTimes(int series) {
        return copy(series * HISTOGRAMS_PER_SERIES + SERVICE_TIME);
    }

    private Histogram copy(int index) {
        Histogram histogram = histograms[index];
        return histogram == null ? TimelineRecorder.newHistogram() : histogram.copy();
    }

    /** Adds this second's response times per outcome, and its service times, of the selected series. */
    void addTo(Histogram[] perOutcome, Histogram serviceTimes, IntPredicate series) {
        for (int s = 0; s < seriesCount(); s++) {
            if (!series.test(s)) {
                continue;
            }
            for (int o = 0; o < HISTOGRAMS_PER_SERIES; o++) {
                Histogram histogram = histograms[s * HISTOGRAMS_PER_SERIES + o];
                if (histogram != null) {
                    (o == SERVICE_TIME ? serviceTimes : perOutcome[o]).add(histogram);
                }
            }
        }
    }
}
