package dev.gameday.timeline;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Records one experiment into a {@link Timeline}: request latencies into per-second interval histograms keyed by
 * intended start time, plus fault events and injector health, all on one {@link Ticker}. Each request is kept twice:
 * its latency from its intended start (per outcome) and from its actual send (per series), see {@link SeriesRecorder}.
 *
 * <p>Recording a request is wait-free apart from the first request of each second (which creates that second's
 * histograms), so it can sit on the load generator's request path.
 *
 * <p>Long runs call {@link #seal} periodically: seconds that no request still in flight can belong to are compressed
 * (HdrHistogram's compressed encoding, a few kilobytes per second and series), so that an hour-long game day does not
 * hold gigabytes of mostly empty counts arrays. A request recorded into a sealed second is not lost: it goes into fresh
 * histograms that the next seal or snapshot merges.
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
    /** Server-side series by name, in the order they were declared; guarded by itself. */
    private final Map<String, List<ServerSample>> server = new LinkedHashMap<>();
    private volatile int sealedThrough;
    private volatile long origin;
    private volatile Instant startedAt;
    private volatile OfferedLoad offered = new OfferedLoad(List.of());
    private volatile Listener listener;

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

    /**
     * Declares a server-side series (a gauge of the system under test read by the harness, for example
     * {@code breaker-open}), so that it is on the timeline even if no reading of it could ever be taken.
     */
    public void serverSeries(String name) {
        Objects.requireNonNull(name, "name");
        synchronized (server) {
            server.putIfAbsent(name, new ArrayList<>());
        }
    }

    /**
     * Records a reading of a server-side series at the current time; an empty value records a reading the harness
     * could not take (a missing sample, never the system's failure).
     */
    public ServerSample serverSample(String name, java.util.OptionalDouble value) {
        Objects.requireNonNull(name, "name");
        ServerSample sample = new ServerSample(elapsed(), value);
        synchronized (server) {
            server.computeIfAbsent(name, n -> new ArrayList<>()).add(sample);
        }
        Listener heard = listener;
        if (heard != null) {
            heard.serverSample(name, sample);
        }
        return sample;
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

    /** The ticker reading at a time since the origin, for example when a request was due. */
    public long readingAt(Duration sinceOrigin) {
        requireStarted();
        return origin + sinceOrigin.toNanos();
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
        Listener heard = listener;
        if (heard != null) {
            heard.event(event);
        }
        return event;
    }

    /**
     * Marks the run as stopped now, before its planned end, and why ({@link TimelineEvent.Kind#RUN_STOPPED}): the
     * offered load ends here, so that the load not offered after the stop is not counted as missing.
     */
    public synchronized TimelineEvent stopped(String reason) {
        TimelineEvent event = event(TimelineEvent.Kind.RUN_STOPPED, "run", reason);
        offered = offered.until(event.at());
        return event;
    }

    public void injector(InjectorSample sample) {
        injector.add(Objects.requireNonNull(sample, "sample"));
        Listener heard = listener;
        if (heard != null) {
            heard.injector(sample);
        }
    }

    /**
     * Compresses every second that ended more than {@code olderThan} ago. Pass more than the longest a request can
     * take (the request timeout plus a margin), so that sealed seconds rarely receive a late request.
     *
     * @return the seconds sealed by this call, for a record streamed to disk as the run goes on (a request recorded
     *         into a second after it was sealed is kept in the timeline, but not in what this returned)
     */
    public synchronized List<Interval> seal(Duration olderThan) {
        requireStarted();
        long limit = elapsed().minus(olderThan).toSeconds();
        List<Interval> sealed = new ArrayList<>();
        for (int second = sealedThrough; second < limit; second++) {
            Slot slot = slots.get(second);
            if (slot != null) {
                slot.seal();
                sealed.add(slot.freeze(second));
            }
        }
        sealedThrough = (int) Math.max(sealedThrough, limit);
        return sealed;
    }

    /**
     * Hears every event and injector sample as it is recorded, for a record streamed to disk as the run goes on; set
     * before the run starts.
     */
    public void listener(Listener newListener) {
        this.listener = Objects.requireNonNull(newListener, "listener");
    }

    /** Hears what the recorder records besides requests. */
    public interface Listener {
        void event(TimelineEvent event);

        void injector(InjectorSample sample);

        /** A reading of a server-side series; ignored unless overridden. */
        default void serverSample(String series, ServerSample sample) {
        }
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
        return new Window(Duration.ofSeconds(first), Duration.ofSeconds(last), intervals, i -> true, Map.of());
    }

    /**
     * An immutable copy of the events, injector samples and offered load recorded so far, without the requests: cheap
     * at any length of run, for telling where the phases lie while it goes on.
     */
    public Timeline skeleton() {
        requireStarted();
        return new Timeline(startedAt, series, new TreeMap<>(), copyOf(events), copyOf(injector), offered);
    }

    /** An immutable copy of everything recorded so far; take it after the load has finished for final figures. */
    public synchronized Timeline snapshot() {
        requireStarted();
        TreeMap<Integer, Interval> intervals = new TreeMap<>();
        slots.forEach((second, slot) -> intervals.put(second, slot.freeze(second)));
        Map<String, List<ServerSample>> serverCopy = new LinkedHashMap<>();
        synchronized (server) {
            server.forEach((name, samples) -> serverCopy.put(name, List.copyOf(samples)));
        }
        return new Timeline(startedAt, series, intervals, copyOf(events), copyOf(injector), offered, serverCopy);
    }

    /** A copy of a list that recording threads append to (a synchronized list), taken under its lock. */
    private static <T> List<T> copyOf(List<T> appended) {
        synchronized (appended) {
            return new ArrayList<>(appended);
        }
    }

    void record(int seriesIndex, Outcome outcome, long intendedNanos, long sentNanos, long endNanos) {
        record(seriesIndex, outcome, intendedNanos, sentNanos, endNanos, 0, null, null);
    }

    /**
     * Records one request; an error status or transport error (whichever applies to the outcome) also goes into the
     * second's failure counters.
     */
    void record(int seriesIndex, Outcome outcome, long intendedNanos, long sentNanos, long endNanos, int status,
                TransportError error, String errorType) {
        Slot slot = slot(intendedNanos);
        int base = seriesIndex * Interval.HISTOGRAMS_PER_SERIES;
        slot.record(base + outcome.ordinal(), Math.max(0, (endNanos - intendedNanos) / 1_000),
                base + Interval.SERVICE_TIME, Math.max(0, (endNanos - Math.max(sentNanos, intendedNanos)) / 1_000));
        if (outcome == Outcome.ERROR_STATUS && status != 0) {
            slot.failures(seriesIndex).status(status);
        } else if (outcome == Outcome.NO_RESPONSE && error != null) {
            slot.failures(seriesIndex).error(error, errorType);
        }
        slot.ended.increment();
    }

    /** Counts a request due at {@code intendedNanos} as in flight until it is recorded. */
    void sending(long intendedNanos) {
        slot(intendedNanos).started.increment();
    }

    /**
     * Requests due to start in {@code [from, to)} (whole seconds) that were sent ({@link SeriesRecorder#sending}) and
     * have not been recorded yet: for a span that ended a while ago, the requests that hang.
     */
    public long inFlight(Duration from, Duration to) {
        requireStarted();
        long first = Math.max(0, from.toSeconds());
        long last = Math.max(first, to.toSeconds());
        long inFlight = 0;
        for (long s = first; s < last; s++) {
            Slot slot = slots.get((int) s);
            if (slot != null) {
                // read the ends first: a request recorded between the two reads is then counted as ended, never twice
                long ended = slot.ended.sum();
                inFlight += Math.max(0, slot.started.sum() - ended);
            }
        }
        return inFlight;
    }

    private Slot slot(long intendedNanos) {
        if (startedAt == null) {
            throw new IllegalStateException("Timeline recorder: record() before start(); start the recorder before the load.");
        }
        long offset = intendedNanos - origin;
        int second = offset <= 0 ? 0 : (int) (offset / NANOS_PER_SECOND);
        Slot slot = slots.get(second);
        if (slot == null) {
            slot = slots.computeIfAbsent(second, s -> new Slot(series.size()));
        }
        return slot;
    }

    static Histogram newHistogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    private void requireStarted() {
        if (startedAt == null) {
            throw new IllegalStateException("Timeline recorder has not been started; call start() before the load.");
        }
    }

    /**
     * The histograms of one second: live ones the injector's threads record into concurrently, and the compressed
     * content of earlier seals. The phaser lets a seal swap the live histograms out and wait until no writer still
     * holds the old ones, so no record is ever lost.
     */
    private static final class Slot {
        private final int size;
        private final WriterReaderPhaser phaser = new WriterReaderPhaser();
        private volatile AtomicReferenceArray<ConcurrentHistogram> live;
        private final byte[][] sealed; // guarded by the phaser's reader lock
        /** Per series, created with its first failure: a few hundred bytes, kept as they are when the second is sealed. */
        private final AtomicReferenceArray<FailureCounter> failures;
        final LongAdder started = new LongAdder();
        final LongAdder ended = new LongAdder();

        Slot(int seriesCount) {
            size = seriesCount * Interval.HISTOGRAMS_PER_SERIES;
            live = new AtomicReferenceArray<>(size);
            sealed = new byte[size][];
            failures = new AtomicReferenceArray<>(seriesCount);
        }

        FailureCounter failures(int series) {
            FailureCounter counter = failures.get(series);
            if (counter == null) {
                counter = new FailureCounter();
                if (!failures.compareAndSet(series, null, counter)) {
                    counter = failures.get(series);
                }
            }
            return counter;
        }

        /** Records a response time and a service time in one critical section, so a seal never splits the pair. */
        void record(int responseIndex, long responseMicros, int serviceIndex, long serviceMicros) {
            long token = phaser.writerCriticalSectionEnter();
            try {
                AtomicReferenceArray<ConcurrentHistogram> histograms = live;
                histogram(histograms, responseIndex).recordValue(responseMicros);
                histogram(histograms, serviceIndex).recordValue(serviceMicros);
            } finally {
                phaser.writerCriticalSectionExit(token);
            }
        }

        private static ConcurrentHistogram histogram(AtomicReferenceArray<ConcurrentHistogram> histograms, int index) {
            ConcurrentHistogram histogram = histograms.get(index);
            if (histogram == null) {
                histogram = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
                if (!histograms.compareAndSet(index, null, histogram)) {
                    histogram = histograms.get(index);
                }
            }
            return histogram;
        }

        void seal() {
            phaser.readerLock();
            try {
                AtomicReferenceArray<ConcurrentHistogram> old = live;
                if (isEmpty(old)) {
                    return;
                }
                live = new AtomicReferenceArray<>(size);
                phaser.flipPhase();
                for (int i = 0; i < size; i++) {
                    ConcurrentHistogram histogram = old.get(i);
                    if (histogram != null) {
                        Histogram merged = sealed[i] == null ? newHistogram() : decode(sealed[i]);
                        merged.add(histogram);
                        sealed[i] = encode(merged);
                    }
                }
            } finally {
                phaser.readerUnlock();
            }
        }

        Interval freeze(int second) {
            phaser.readerLock();
            try {
                Histogram[] copies = new Histogram[size];
                AtomicReferenceArray<ConcurrentHistogram> histograms = live;
                for (int i = 0; i < size; i++) {
                    ConcurrentHistogram recent = histograms.get(i);
                    if (sealed[i] != null || recent != null) {
                        copies[i] = sealed[i] == null ? newHistogram() : decode(sealed[i]);
                        if (recent != null) {
                            copies[i].add(recent);
                        }
                    }
                }
                FailureBreakdown[] breakdowns = new FailureBreakdown[failures.length()];
                for (int s = 0; s < breakdowns.length; s++) {
                    FailureCounter counter = failures.get(s);
                    breakdowns[s] = counter == null ? null : counter.snapshot();
                }
                return new Interval(second, copies, breakdowns);
            } finally {
                phaser.readerUnlock();
            }
        }

        private static boolean isEmpty(AtomicReferenceArray<ConcurrentHistogram> histograms) {
            for (int i = 0; i < histograms.length(); i++) {
                if (histograms.get(i) != null) {
                    return false;
                }
            }
            return true;
        }

        private static byte[] encode(Histogram histogram) {
            ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
            int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            return Arrays.copyOf(buffer.array(), length);
        }

        private static Histogram decode(byte[] bytes) {
            try {
                Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
                histogram.setAutoResize(true);
                return histogram;
            } catch (java.util.zip.DataFormatException e) {
                throw new IllegalStateException("A sealed second of the timeline could not be decoded", e);
            }
        }
    }
}
