package dev.gameday.timeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Records one experiment into a {@link Timeline}: request latencies into per-second interval histograms keyed by
 * start time, plus fault events and injector health, all on one {@link Ticker}.
 *
 * <p>Recording a request is wait-free apart from the first request of each second (which creates that second's
 * histograms), so it can sit on the load generator's request path.
 *
 * <pre>{@code
 * TimelineRecorder recorder = TimelineRecorder.create();
 * SeriesRecorder orders = recorder.series("place order");
 * recorder.start(OfferedLoad.constant(200, Duration.ofSeconds(60)));
 * long start = recorder.now();
 * // ... send the request ...
 * orders.record(Outcome.SUCCESS, start, recorder.now());
 * Timeline timeline = recorder.snapshot();
 * }</pre>
 */
public final class TimelineRecorder {

    /** Latencies keep three significant digits: 100.4 ms stays distinguishable from 100 ms. */
    static final int SIGNIFICANT_DIGITS = 3;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Ticker ticker;
    private final Clock clock;
    private final List<String> series = new ArrayList<>();
    private final ConcurrentHashMap<Integer, Slot> slots = new ConcurrentHashMap<>();
    private final List<TimelineEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<InjectorSample> injector = Collections.synchronizedList(new ArrayList<>());
    private volatile long origin;
    private volatile Instant startedAt;
    private volatile OfferedLoad offered = new OfferedLoad(List.of());

    private TimelineRecorder(Ticker ticker, Clock clock) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A recorder on the JVM's monotonic clock. */
    public static TimelineRecorder create() {
        return create(Ticker.system(), Clock.systemUTC());
    }

    /** A recorder on the given clocks; tests pass a hand-driven ticker. */
    public static TimelineRecorder create(Ticker ticker, Clock clock) {
        return new TimelineRecorder(ticker, clock);
    }

    /** Registers a request series (for example "place order"); all series must be registered before {@link #start}. */
    public synchronized SeriesRecorder series(String name) {
        Objects.requireNonNull(name, "name");
        if (isStarted()) {
            throw new IllegalStateException("Timeline recorder: series '" + name
                    + "' must be registered before start(); register every request series first.");
        }
        if (series.contains(name)) {
            throw new IllegalArgumentException("Timeline recorder: series '" + name + "' is already registered.");
        }
        series.add(name);
        return new SeriesRecorder(this, series.size() - 1, name);
    }

    /** Sets the origin to now and remembers the load the injector is about to offer. */
    public synchronized void start(OfferedLoad offeredLoad) {
        if (isStarted()) {
            throw new IllegalStateException("Timeline recorder was already started at " + startedAt + ".");
        }
        this.offered = Objects.requireNonNull(offeredLoad, "offeredLoad");
        this.origin = ticker.read();
        this.startedAt = clock.instant();
    }

    public boolean isStarted() {
        return startedAt != null;
    }

    /** The ticker's current reading; pass it to {@link SeriesRecorder#record} as a request's start or end. */
    public long now() {
        return ticker.read();
    }

    /** Time since the origin. */
    public Duration elapsed() {
        return elapsedAt(ticker.read());
    }

    /** Time from the origin to a ticker reading. */
    public Duration elapsedAt(long nanos) {
        requireStarted();
        return Duration.ofNanos(Math.max(0, nanos - origin));
    }

    /** Records an event at the current time. */
    public TimelineEvent event(TimelineEvent.Kind kind, String subject, String detail) {
        TimelineEvent event = new TimelineEvent(elapsed(), kind, subject, detail);
        events.add(event);
        return event;
    }

    public void injector(InjectorSample sample) {
        injector.add(Objects.requireNonNull(sample, "sample"));
    }

    /** A live view of the requests started in {@code [from, to)}, for progress output while the run goes on. */
    public Window window(Duration from, Duration to) {
        requireStarted();
        long first = Math.max(0, from.toSeconds());
        long last = Math.max(first, to.toSeconds());
        List<Interval> intervals = new ArrayList<>();
        for (long s = first; s < last; s++) {
            Slot slot = slots.get((int) s);
            if (slot != null) {
                intervals.add(slot.freeze((int) s));
            }
        }
        return new Window(Duration.ofSeconds(first), Duration.ofSeconds(last), intervals, i -> true);
    }

    /** An immutable copy of everything recorded so far; take it after the load has finished for final figures. */
    public synchronized Timeline snapshot() {
        requireStarted();
        TreeMap<Integer, Interval> intervals = new TreeMap<>();
        slots.forEach((second, slot) -> intervals.put(second, slot.freeze(second)));
        List<TimelineEvent> eventCopy;
        synchronized (events) {
            eventCopy = new ArrayList<>(events);
        }
        List<InjectorSample> injectorCopy;
        synchronized (injector) {
            injectorCopy = new ArrayList<>(injector);
        }
        return new Timeline(startedAt, series, intervals, eventCopy, injectorCopy, offered);
    }

    void record(int seriesIndex, Outcome outcome, long startNanos, long endNanos) {
        long offset = startNanos - origin;
        if (startedAt == null) {
            throw new IllegalStateException("Timeline recorder: record() before start(); start the recorder before the load.");
        }
        int second = offset <= 0 ? 0 : (int) (offset / NANOS_PER_SECOND);
        Slot slot = slots.get(second);
        if (slot == null) {
            slot = slots.computeIfAbsent(second, s -> new Slot(series.size()));
        }
        slot.record(seriesIndex * Interval.OUTCOMES + outcome.ordinal(), Math.max(0, (endNanos - startNanos) / 1_000));
    }

    static Histogram newHistogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    private void requireStarted() {
        if (startedAt == null) {
            throw new IllegalStateException("Timeline recorder has not been started; call start() before the load.");
        }
    }

    /** The histograms of one second, filled concurrently by the injector's threads. */
    private static final class Slot {
        private final AtomicReferenceArray<ConcurrentHistogram> histograms;

        Slot(int seriesCount) {
            histograms = new AtomicReferenceArray<>(seriesCount * Interval.OUTCOMES);
        }

        void record(int index, long micros) {
            ConcurrentHistogram histogram = histograms.get(index);
            if (histogram == null) {
                histogram = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
                if (!histograms.compareAndSet(index, null, histogram)) {
                    histogram = histograms.get(index);
                }
            }
            histogram.recordValue(micros);
        }

        Interval freeze(int second) {
            Histogram[] copies = new Histogram[histograms.length()];
            for (int i = 0; i < copies.length; i++) {
                ConcurrentHistogram histogram = histograms.get(i);
                if (histogram != null) {
                    copies[i] = newHistogram();
                    copies[i].add(histogram);
                }
            }
            return new Interval(second, copies);
        }
    }
}
