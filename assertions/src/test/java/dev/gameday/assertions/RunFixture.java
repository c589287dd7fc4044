package dev.gameday.assertions;

import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Builds timelines by hand on a hand-driven clock: the unit tests of the phase arithmetic never wait. */
final class RunFixture {

    private static final long ORIGIN = 5_000_000_000L;

    private final AtomicLong now = new AtomicLong(ORIGIN);
    private final TimelineRecorder recorder = TimelineRecorder.create(now::get, Clock.systemUTC());
    private final SeriesRecorder orders = recorder.series("place order");

    private RunFixture(OfferedLoad load) {
        recorder.start(load);
    }

    /** A run that was asked to offer {@code rate} requests/s for {@code seconds}. */
    static RunFixture offering(double rate, int seconds) {
        return new RunFixture(OfferedLoad.constant(rate, Duration.ofSeconds(seconds)));
    }

    /** {@code perSecond} requests with the given latency and outcome started in each second of [from, to). */
    RunFixture requests(int fromSecond, int toSecond, int perSecond, Duration latency, Outcome outcome) {
        for (int second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < perSecond; i++) {
                long start = ORIGIN + Duration.ofSeconds(second).toNanos() + i * (1_000_000_000L / perSecond);
                orders.record(outcome, start, start + latency.toNanos());
            }
        }
        return this;
    }

    /**
     * Like {@link #requests}, but the load generator sent each request {@code injectorDelay} after it was due, and the
     * system took {@code serviceTime} from the send.
     */
    RunFixture delayedRequests(int fromSecond, int toSecond, int perSecond, Duration injectorDelay, Duration serviceTime,
                               Outcome outcome) {
        for (int second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < perSecond; i++) {
                long due = ORIGIN + Duration.ofSeconds(second).toNanos() + i * (1_000_000_000L / perSecond);
                long sent = due + injectorDelay.toNanos();
                orders.record(outcome, due, sent, sent + serviceTime.toNanos());
            }
        }
        return this;
    }

    /** A healthy stretch: 100 requests/s, 5 ms, all successful. */
    RunFixture healthy(int fromSecond, int toSecond) {
        return requests(fromSecond, toSecond, 100, Duration.ofMillis(5), Outcome.SUCCESS);
    }

    RunFixture event(Duration at, TimelineEvent.Kind kind, String subject) {
        return event(at, kind, subject, "");
    }

    RunFixture event(Duration at, TimelineEvent.Kind kind, String subject, String detail) {
        now.set(ORIGIN + at.toNanos());
        recorder.event(kind, subject, detail);
        return this;
    }

    /** The run stopped early on purpose at {@code at} (fail fast), for {@code reason}. */
    RunFixture stopped(Duration at, String reason) {
        now.set(ORIGIN + at.toNanos());
        recorder.stopped(reason);
        return this;
    }

    /** The usual fault life cycle: injecting and active at {@code from}, restoring and restored at {@code to}. */
    RunFixture fault(String name, Duration from, Duration to) {
        return event(from, TimelineEvent.Kind.FAULT_INJECTING, name)
                .event(from.plusMillis(20), TimelineEvent.Kind.FAULT_ACTIVE, name)
                .event(to, TimelineEvent.Kind.FAULT_RESTORING, name)
                .event(to.plusMillis(20), TimelineEvent.Kind.FAULT_RESTORED, name);
    }

    RunFixture injector(Duration at, Duration stalled, long openFiles, long maxOpenFiles) {
        recorder.injector(new InjectorSample(at, stalled, stalled, openFiles, maxOpenFiles));
        return this;
    }

    /** A reading of a server-side series taken at {@code at}; NaN for a reading that could not be taken. */
    RunFixture server(Duration at, String series, double value) {
        now.set(ORIGIN + at.toNanos());
        recorder.serverSample(series, Double.isNaN(value) ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(value));
        return this;
    }

    /** One reading per second of [from, to), half a second into each. */
    RunFixture server(int fromSecond, int toSecond, String series, double value) {
        for (int second = fromSecond; second < toSecond; second++) {
            server(Duration.ofMillis(second * 1_000L + 500), series, value);
        }
        return this;
    }

    Timeline timeline() {
        return recorder.snapshot();
    }
}
