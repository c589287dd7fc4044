package dev.gameday.reports;

import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.Ticker;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineRecorder;
import dev.gameday.timeline.TransportError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds timelines by hand on a hand-driven ticker and a fixed wall clock, so report tests never wait and always see
 * the same start time. Adapted from the assertions module's fixture, with several request series.
 */
final class RunFixture {

    /** Wall-clock start of every fixture run. */
    static final Instant STARTED = Instant.parse("2026-11-22T10:03:30Z");

    private static final long ORIGIN = 5_000_000_000L;

    private final HandTicker ticker = new HandTicker(ORIGIN);
    private final TimelineRecorder recorder = TimelineRecorder.create(ticker, Clock.fixed(STARTED, ZoneOffset.UTC));
    private final Map<String, SeriesRecorder> series = new LinkedHashMap<>();

    private RunFixture(OfferedLoad load, String... seriesNames) {
        for (String name : seriesNames) {
            series.put(name, recorder.series(name));
        }
        recorder.start(load);
    }

    /** A run that was asked to offer {@code rate} requests/s for {@code seconds}, across the given series. */
    static RunFixture offering(double rate, int seconds, String... series) {
        return new RunFixture(OfferedLoad.constant(rate, Duration.ofSeconds(seconds)), series);
    }

    /** {@code perSecond} requests of a series with the given latency and outcome started in each second of [from, to). */
    RunFixture requests(String name, int fromSecond, int toSecond, int perSecond, Duration latency, Outcome outcome) {
        SeriesRecorder recorder = series.get(name);
        for (int second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < perSecond; i++) {
                long start = ORIGIN + Duration.ofSeconds(second).toNanos() + i * (1_000_000_000L / perSecond);
                recorder.record(outcome, start, start + latency.toNanos());
            }
        }
        return this;
    }

    /** As {@link #requests}, answered with the given error status, which the failure breakdown keeps. */
    RunFixture errorStatus(String name, int fromSecond, int toSecond, int perSecond, Duration latency, int status) {
        return each(fromSecond, toSecond, perSecond, start -> series.get(name).recordErrorStatus(status, start, start,
                start + latency.toNanos()));
    }

    /** As {@link #requests}, without a response for the given reason, which the failure breakdown keeps. */
    RunFixture noResponse(String name, int fromSecond, int toSecond, int perSecond, Duration latency,
                          TransportError error) {
        return each(fromSecond, toSecond, perSecond, start -> series.get(name).recordNoResponse(error, null, start, start,
                start + latency.toNanos()));
    }

    private RunFixture each(int fromSecond, int toSecond, int perSecond, java.util.function.LongConsumer request) {
        for (int second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < perSecond; i++) {
                request.accept(ORIGIN + Duration.ofSeconds(second).toNanos() + i * (1_000_000_000L / perSecond));
            }
        }
        return this;
    }

    /** A healthy stretch of one series: 5 ms, all successful. */
    RunFixture healthy(String name, int fromSecond, int toSecond, int perSecond) {
        return requests(name, fromSecond, toSecond, perSecond, Duration.ofMillis(5), Outcome.SUCCESS);
    }

    RunFixture event(Duration at, TimelineEvent.Kind kind, String subject, String detail) {
        ticker.set(ORIGIN + at.toNanos());
        recorder.event(kind, subject, detail);
        return this;
    }

    /** The usual fault life cycle: injecting and active at {@code from}, restoring and restored at {@code to}. */
    RunFixture fault(String name, Duration from, Duration to) {
        return event(from, TimelineEvent.Kind.FAULT_INJECTING, name, "")
                .event(from.plusMillis(20), TimelineEvent.Kind.FAULT_ACTIVE, name, "PING did not answer within 1,000 ms")
                .event(to, TimelineEvent.Kind.FAULT_RESTORING, name, "")
                .event(to.plusMillis(20), TimelineEvent.Kind.FAULT_RESTORED, name, "PING answered in 0.4 ms");
    }

    RunFixture injector(Duration at, Duration stalled, long openFiles, long maxOpenFiles) {
        recorder.injector(new InjectorSample(at, stalled, stalled, openFiles, maxOpenFiles));
        return this;
    }

    /** One reading per second of [from, to) of a server-side series, half a second in; NaN records a missing one. */
    RunFixture server(String name, int fromSecond, int toSecond, double value) {
        for (int second = fromSecond; second < toSecond; second++) {
            ticker.set(ORIGIN + Duration.ofMillis(second * 1_000L + 500).toNanos());
            recorder.serverSample(name, Double.isNaN(value) ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of(value));
        }
        return this;
    }

    Timeline timeline() {
        return recorder.snapshot();
    }

    /** A ticker moved by hand. */
    private static final class HandTicker implements Ticker {
        private long nanos;

        HandTicker(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public long read() {
            return nanos;
        }

        void set(long nanos) {
            this.nanos = nanos;
        }
    }
}
