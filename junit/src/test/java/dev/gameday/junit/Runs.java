package dev.gameday.junit;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.reports.RunReport;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.Ticker;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Runs recorded by hand on a hand-driven ticker and judged by the real {@link Evaluator}: 100 requests/s for 40 s,
 * a fault from 15 s to 25 s. The extension's tests need verdicts, not load; the load path has its own tests.
 */
final class Runs {

    static final String SERIES = "read";
    static final String FAULT = "redis-timeout";
    static final ObjectiveSet OBJECTIVES = ObjectiveSet.builder()
            .during(Phase.BASELINE, Criteria.successRate().above(99.5))
            .during(Phase.FAULT, Criteria.latency().p95().below(ofMillis(500)), Criteria.successRate().above(99.5))
            .build();

    private static final long ORIGIN = 5_000_000_000L;

    private Runs() {
    }

    /** Every objective met. */
    static RunReport passed(String experiment) {
        Recording run = new Recording().healthy(0, 40);
        return run.fault().report(experiment);
    }

    /** Requests time out while the fault is active. */
    static RunReport failed(String experiment) {
        Recording run = new Recording().healthy(0, 15).requests(15, 26, 100, ofSeconds(5), Outcome.NO_RESPONSE)
                .healthy(26, 40);
        return run.fault().report(experiment);
    }

    /** The fault was injected but never confirmed, so the run tested nothing. */
    static RunReport invalid(String experiment) {
        Recording run = new Recording().healthy(0, 40);
        run.event(ofSeconds(15), TimelineEvent.Kind.FAULT_INJECTING);
        run.event(ofSeconds(25), TimelineEvent.Kind.FAULT_RESTORED);
        return run.report(experiment);
    }

    private static final class Recording {
        private final HandTicker ticker = new HandTicker();
        private final TimelineRecorder recorder = TimelineRecorder.create(ticker,
                Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
        private final SeriesRecorder series = recorder.series(SERIES);

        Recording() {
            recorder.start(OfferedLoad.constant(100, Duration.ofSeconds(40)));
        }

        Recording healthy(int from, int to) {
            return requests(from, to, 100, ofMillis(5), Outcome.SUCCESS);
        }

        Recording requests(int from, int to, int perSecond, Duration latency, Outcome outcome) {
            for (int second = from; second < to; second++) {
                for (int i = 0; i < perSecond; i++) {
                    long start = ORIGIN + Duration.ofSeconds(second).toNanos() + i * (1_000_000_000L / perSecond);
                    series.record(outcome, start, start + latency.toNanos());
                }
            }
            return this;
        }

        Recording fault() {
            event(ofSeconds(15), TimelineEvent.Kind.FAULT_INJECTING);
            event(ofMillis(15_020), TimelineEvent.Kind.FAULT_ACTIVE);
            event(ofSeconds(25), TimelineEvent.Kind.FAULT_RESTORING);
            event(ofMillis(25_020), TimelineEvent.Kind.FAULT_RESTORED);
            return this;
        }

        void event(Duration at, TimelineEvent.Kind kind) {
            ticker.nanos = ORIGIN + at.toNanos();
            recorder.event(kind, FAULT, "");
        }

        RunReport report(String experiment) {
            var timeline = recorder.snapshot();
            return new RunReport(experiment, "fake", "judged by hand", Map.of("load", "100 requests/s"), timeline,
                    Evaluator.evaluate(timeline, OBJECTIVES, Duration.ZERO, Optional.empty()));
        }
    }

    private static final class HandTicker implements Ticker {
        long nanos = ORIGIN;

        @Override
        public long read() {
            return nanos;
        }
    }
}
