package dev.gameday.timeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The single record of one experiment: per-second intervals of requests keyed by when they started, the fault
 * events, the injector's health, the load it was asked to offer, and the server-side series (the system's own gauges,
 * read by the harness while the run went on). Assertions and reports both read it; nothing
 * else is measured twice.
 *
 * <p>Requests are keyed by start time, not completion time, so that a request sent while a fault was active counts
 * against the fault phase even if it only timed out later. In an open model the start time is when the request was
 * due, so slow responses cannot hold back the next request (no coordinated omission).
 *
 * <pre>{@code
 * Timeline timeline = recorder.snapshot();
 * Window fault = timeline.window(Duration.ofSeconds(30), Duration.ofSeconds(50));
 * }</pre>
 */
public final class Timeline {

    private final Instant startedAt;
    private final List<String> series;
    private final NavigableMap<Integer, Interval> intervals;
    private final List<TimelineEvent> events;
    private final List<InjectorSample> injector;
    private final OfferedLoad offered;
    private final Map<String, List<ServerSample>> server;

    Timeline(Instant startedAt, List<String> series, NavigableMap<Integer, Interval> intervals,
             List<TimelineEvent> events, List<InjectorSample> injector, OfferedLoad offered) {
        this(startedAt, series, intervals, events, injector, offered, Map.of());
    }

    Timeline(Instant startedAt, List<String> series, NavigableMap<Integer, Interval> intervals,
             List<TimelineEvent> events, List<InjectorSample> injector, OfferedLoad offered,
             Map<String, List<ServerSample>> server) {
        Map<String, List<ServerSample>> serverCopy = new LinkedHashMap<>();
        server.forEach((name, samples) -> serverCopy.put(name, List.copyOf(samples)));
        this.server = Collections.unmodifiableMap(serverCopy);
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.series = List.copyOf(series);
        this.intervals = new TreeMap<>(intervals);
        this.events = List.copyOf(events);
        this.injector = List.copyOf(injector);
        this.offered = Objects.requireNonNull(offered, "offered");
    }

    /**
     * The same intervals with the given events, injector samples and offered load: a timeline put back together from
     * a record on disk, whose histogram log carries only the intervals.
     */
    public Timeline with(Instant newStartedAt, List<TimelineEvent> newEvents, List<InjectorSample> newInjector,
                         OfferedLoad newOffered) {
        return new Timeline(newStartedAt, series, intervals, newEvents, newInjector, newOffered, server);
    }

    /**
     * The same timeline with the given server-side series: a timeline put back together from a record on disk, whose
     * histogram log carries only the requests.
     */
    public Timeline withServerSeries(Map<String, List<ServerSample>> newServer) {
        return new Timeline(startedAt, series, intervals, events, injector, offered, newServer);
    }

    /**
     * The same timeline with the failure breakdowns of the given seconds and series (by name) replaced: a timeline put
     * back together from a record on disk, whose histogram log carries only the latencies. Seconds without an
     * interval, and series the timeline does not have, are left out.
     */
    public Timeline withFailures(Map<Integer, Map<String, FailureBreakdown>> bySecond) {
        TreeMap<Integer, Interval> replaced = new TreeMap<>(intervals);
        bySecond.forEach((second, bySeries) -> {
            Interval interval = replaced.get(second);
            if (interval == null) {
                return;
            }
            FailureBreakdown[] breakdowns = new FailureBreakdown[series.size()];
            for (int s = 0; s < breakdowns.length; s++) {
                breakdowns[s] = bySeries.containsKey(series.get(s)) ? bySeries.get(series.get(s)) : interval.failures(s);
            }
            replaced.put(second, interval.withFailures(breakdowns));
        });
        return new Timeline(startedAt, series, replaced, events, injector, offered, server);
    }

    /** Wall-clock time of the origin, for reports; all other times are elapsed since it. */
    public Instant startedAt() {
        return startedAt;
    }

    /** Names of the request series (for example "place order"), in recording order. */
    public List<String> series() {
        return series;
    }

    public List<Interval> intervals() {
        return List.copyOf(intervals.values());
    }

    public List<TimelineEvent> events() {
        return events;
    }

    public List<InjectorSample> injector() {
        return injector;
    }

    public OfferedLoad offered() {
        return offered;
    }

    /**
     * The server-side series the harness read from the system under test while the run went on (for example
     * {@code breaker-open}), by name in the order they were declared, each reading with its time since the origin; a
     * reading that could not be taken is {@linkplain ServerSample#isMissing() missing}.
     */
    public Map<String, List<ServerSample>> serverSeries() {
        return server;
    }

    /** End of the offered load, or of the last recorded interval if later. */
    public Duration end() {
        Duration recorded = intervals.isEmpty() ? Duration.ZERO : Duration.ofSeconds(intervals.lastKey() + 1L);
        return offered.end().compareTo(recorded) >= 0 ? offered.end() : recorded;
    }

    /** All requests that started in {@code [from, to)}, widened to whole seconds. */
    public Window window(Duration from, Duration to) {
        return window(from, to, s -> true);
    }

    /** The requests of one series that started in {@code [from, to)}, widened to whole seconds. */
    public Window window(Duration from, Duration to, String seriesName) {
        int index = series.indexOf(seriesName);
        if (index < 0) {
            throw new IllegalArgumentException("Timeline has no series '" + seriesName + "'; it has " + series + ".");
        }
        return window(from, to, s -> s == index);
    }

    /** One window per second in {@code [from, to)}. */
    public List<Window> perSecond(Duration from, Duration to) {
        List<Window> windows = new ArrayList<>();
        for (long s = floorSeconds(from); s < ceilSeconds(to); s++) {
            windows.add(window(Duration.ofSeconds(s), Duration.ofSeconds(s + 1)));
        }
        return windows;
    }

    /** The first event of the given kind, if any. */
    public Optional<TimelineEvent> first(TimelineEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).findFirst();
    }

    /** The last event of the given kind, if any. */
    public Optional<TimelineEvent> last(TimelineEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).reduce((a, b) -> b);
    }

    private Window window(Duration from, Duration to, IntPredicate seriesFilter) {
        if (to.compareTo(from) < 0) {
            throw new IllegalArgumentException("Window must not end before it starts, but was from " + from + " to " + to + ".");
        }
        long first = floorSeconds(from);
        long last = ceilSeconds(to);
        Duration start = Duration.ofSeconds(first);
        Duration end = Duration.ofSeconds(last);
        Map<String, List<ServerSample>> readings = new LinkedHashMap<>();
        server.forEach((name, samples) -> readings.put(name, samples.stream()
                .filter(s -> s.at().compareTo(start) >= 0 && s.at().compareTo(end) < 0).toList()));
        return new Window(start, end, intervals.subMap((int) first, true, (int) last, false).values(), seriesFilter,
                readings);
    }

    private static long floorSeconds(Duration duration) {
        return Math.floorDiv(duration.toNanos(), 1_000_000_000L);
    }

    private static long ceilSeconds(Duration duration) {
        return -Math.floorDiv(-duration.toNanos(), 1_000_000_000L);
    }
}
