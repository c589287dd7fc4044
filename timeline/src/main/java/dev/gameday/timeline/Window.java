package dev.gameday.timeline;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * The requests that were due to start within a span of whole seconds, added together from the timeline's per-second
 * intervals.
 *
 * <p>Latency figures cover every request in the window, whatever its outcome: a request that timed out after five
 * seconds is a five-second request to the user who sent it. They are measured from each request's intended start, so
 * a load generator that falls behind cannot hide the system's slowness (coordinated omission); {@link #asSent()} gives
 * the same window measured from the actual send, which leaves the load generator's own delay out. Success figures come
 * from the outcomes and are the same in both.
 *
 * <pre>{@code
 * Window baseline = timeline.window(Duration.ofSeconds(10), Duration.ofSeconds(30));
 * Duration p95 = baseline.latencyAtPercentile(95);
 * Duration p95WithoutInjectorDelay = baseline.asSent().latencyAtPercentile(95);
 * long fallbacks = baseline.degraded();
 * List<ServerSample> breakerOpen = baseline.serverSamples("breaker-open");
 * }</pre>
 */
public final class Window {

    private final Duration from;
    private final Duration to;
    private final Histogram all;
    private final Histogram serviceTimes;
    private final boolean fromSend;
    private final long[] counts;
    private final FailureBreakdown failures;
    private final Map<String, List<ServerSample>> server;

    Window(Duration from, Duration to, Collection<Interval> intervals, IntPredicate series,
           Map<String, List<ServerSample>> server) {
        this.server = server;
        this.from = from;
        this.to = to;
        this.fromSend = false;
        this.counts = new long[Interval.OUTCOMES];
        Histogram[] perOutcome = new Histogram[Interval.OUTCOMES];
        for (int o = 0; o < perOutcome.length; o++) {
            perOutcome[o] = TimelineRecorder.newHistogram();
        }
        this.serviceTimes = TimelineRecorder.newHistogram();
        FailureBreakdown breakdown = FailureBreakdown.NONE;
        for (Interval interval : intervals) {
            interval.addTo(perOutcome, serviceTimes, series);
            breakdown = breakdown.plus(interval.failures(series));
        }
        this.failures = breakdown;
        this.all = TimelineRecorder.newHistogram();
        for (int o = 0; o < perOutcome.length; o++) {
            counts[o] = perOutcome[o].getTotalCount();
            all.add(perOutcome[o]);
        }
    }

    private Window(Window window) {
        this.from = window.from;
        this.to = window.to;
        this.fromSend = true;
        this.counts = window.counts;
        this.failures = window.failures;
        this.server = window.server;
        this.serviceTimes = window.serviceTimes;
        // A timeline read from a log written before service times were kept has none: the send was then the start.
        this.all = window.serviceTimes.getTotalCount() == window.all.getTotalCount() ? window.serviceTimes : window.all;
    }

    /**
     * The same requests with latencies measured from when the load generator actually sent them instead of when they
     * were due: the load generator's own delays (a GC pause, CPU starvation) are left out.
     */
    public Window asSent() {
        return fromSend ? this : new Window(this);
    }

    /** Whether this window's latencies are measured from the actual send ({@link #asSent()}). */
    public boolean measuredFromSend() {
        return fromSend;
    }

    public Duration from() {
        return from;
    }

    public Duration to() {
        return to;
    }

    public Duration length() {
        return to.minus(from);
    }

    public boolean isEmpty() {
        return requests() == 0;
    }

    /** Requests that started in the window. */
    public long requests() {
        return all.getTotalCount();
    }

    public long count(Outcome outcome) {
        return counts[outcome.ordinal()];
    }

    /** Requests not answered with an accepted status: {@link Outcome#ERROR_STATUS} and {@link Outcome#NO_RESPONSE}. */
    public long failures() {
        return requests() - answered();
    }

    /**
     * Requests answered with an accepted status whose content said the service fell back ({@link Outcome#DEGRADED}):
     * they count as successes in {@link #successPercent()}, but not as {@linkplain #fullServicePercent() full service}.
     */
    public long degraded() {
        return count(Outcome.DEGRADED);
    }

    /** Share of degraded answers among all requests in percent, or NaN for an empty window. */
    public double degradedPercent() {
        return isEmpty() ? Double.NaN : 100.0 * degraded() / requests();
    }

    /** Share of requests answered in full (accepted status, not degraded) in percent, or NaN for an empty window. */
    public double fullServicePercent() {
        return isEmpty() ? Double.NaN : 100.0 * count(Outcome.SUCCESS) / requests();
    }

    /**
     * The readings of a server-side series taken in this window, missing ones included; empty when the series was
     * not recorded (a live window has none).
     */
    public List<ServerSample> serverSamples(String name) {
        return server.getOrDefault(name, List.of());
    }

    /** Names of the server-side series this window carries. */
    public java.util.Set<String> serverSeries() {
        return server.keySet();
    }

    private long answered() {
        return count(Outcome.SUCCESS) + count(Outcome.DEGRADED);
    }

    /** What the unsuccessful requests were: error statuses, and kinds of missing response. */
    public FailureBreakdown failureBreakdown() {
        return failures;
    }

    /**
     * The failures line by line, largest first, adding up to {@link #failures()}: for example
     * {@code [503 ×412, timeout ×300, refused ×44]}; empty when every request succeeded.
     */
    public List<FailureBreakdown.Count> failureCounts() {
        return failures.counts(count(Outcome.ERROR_STATUS), count(Outcome.NO_RESPONSE));
    }

    /**
     * Share of successful requests (answered with an accepted status, degraded answers included) in percent, or NaN
     * for an empty window.
     */
    public double successPercent() {
        return isEmpty() ? Double.NaN : 100.0 * answered() / requests();
    }

    /**
     * Latency at the given percentile (0 to 100) over all outcomes, from the intended start (or from the send, for a
     * window {@link #asSent()}); zero for an empty window.
     */
    public Duration latencyAtPercentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("Percentile must be between 0 and 100, but was " + percentile + ".");
        }
        return micros(all.getValueAtPercentile(percentile));
    }

    public Duration maxLatency() {
        return micros(all.getMaxValue());
    }

    /** Requests started per second: what the injector actually offered. */
    public double requestRate() {
        return perSecond(requests());
    }

    /** Successful requests per second (degraded answers included): the throughput the system under test delivered. */
    public double successRate() {
        return perSecond(answered());
    }

    /** A copy of the latency histogram over all outcomes, in microseconds. */
    public Histogram latencies() {
        return all.copy();
    }

    private double perSecond(long count) {
        long nanos = length().toNanos();
        return nanos == 0 ? 0 : count / (nanos / 1e9);
    }

    private static Duration micros(long value) {
        return Duration.ofNanos(value * 1_000);
    }
}
