package dev.gameday.scenarios.internal.verdict;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EarlyVerdictTest {

    private static final ObjectiveSet OBJECTIVES = ObjectiveSet.builder()
            .during(Phase.BASELINE, Criteria.latency().p95().below(ofMillis(100)))
            .during(Phase.FAULT, Criteria.successRate().above(99.5))
            .recoversWithin(ofSeconds(10), Criteria.successRate().above(99.5))
            .during(Phase.AFTER, Criteria.successRate().above(99.5))
            .build();
    private static final Duration SETTLED_AFTER = ofSeconds(7);

    private final AtomicLong now = new AtomicLong();
    private final TimelineRecorder recorder = TimelineRecorder.create(now::get, Clock.systemUTC());
    private final SeriesRecorder orders = recorder.series("place order");
    private final EarlyVerdict early = new EarlyVerdict(OBJECTIVES, ofSeconds(5), SETTLED_AFTER);

    EarlyVerdictTest() {
        recorder.start(OfferedLoad.constant(100, ofSeconds(60)));
    }

    @Test
    void aPhaseUnderWayIsNeverJudgedHoweverBadItLooks() {
        requests(0, 10, Outcome.SUCCESS);
        fault(ofMillis(10_200), null);
        requests(10, 18, Outcome.NO_RESPONSE);

        assertThat(reasonAt(ofSeconds(18))).as("the fault phase may still come back within bounds").isEmpty();
    }

    @Test
    void aViolationInAPhaseThatEndedIsTheReasonOnceItsRequestsHaveAllEnded() {
        requests(0, 10, Outcome.SUCCESS);
        fault(ofMillis(10_200), ofMillis(20_300));
        requests(10, 21, Outcome.NO_RESPONSE);
        requests(21, 23, Outcome.SUCCESS);

        assertThat(reasonAt(ofMillis(21_900))).as("the fault phase ends at 21 s; its last second's requests may"
                + " still be leaving").isEmpty();
        assertThat(reasonAt(ofMillis(22_100))).get().asString()
                .startsWith("Objective 'success rate > 99.50 %' violated in phase 'fault': expected > 99.50 %,"
                        + " actual 0.00 %");
    }

    @Test
    void aRequestOfThePhaseStillInFlightHoldsTheVerdictBackUntilItCannotBeAnyLonger() {
        requests(0, 10, Outcome.SUCCESS);
        fault(ofMillis(10_200), ofMillis(20_300));
        requests(10, 21, Outcome.NO_RESPONSE);
        orders.sending(ofSeconds(20).toNanos()); // sent at 20 s, never ended

        assertThat(reasonAt(ofSeconds(24))).as("a request of the phase is in flight").isEmpty();
        assertThat(reasonAt(ofSeconds(28))).as("21 s + %s: no request can still be in flight", SETTLED_AFTER)
                .isPresent();
    }

    @Test
    void aBaselineViolationIsTheReasonOnceTheFaultHasBegun() {
        slowRequests(0, 10);
        now.set(ofMillis(8_000).toNanos());
        assertThat(early.reason(recorder.skeleton(), recorder::snapshot, ofSeconds(8), recorder::inFlight)).isEmpty();
        fault(ofMillis(10_200), null);

        assertThat(reasonAt(ofMillis(11_500))).get().asString()
                .startsWith("Objective 'p95 latency < 100 ms' violated in phase 'baseline'");
    }

    @Test
    void aRecoveryIsDecidedOnlyOnceTheHoldAfterItsBoundHasBeenSeen() {
        EarlyVerdict recoveryOnly = new EarlyVerdict(ObjectiveSet.builder()
                .recoversWithin(ofSeconds(10), Criteria.successRate().above(99.5)).build(), ofSeconds(5), SETTLED_AFTER);
        requests(0, 21, Outcome.SUCCESS);
        fault(ofMillis(10_200), ofMillis(20_300));
        requests(21, 40, Outcome.NO_RESPONSE);

        now.set(ofSeconds(33).toNanos());
        assertThat(recoveryOnly.reason(recorder.skeleton(), recorder::snapshot, ofSeconds(33), recorder::inFlight))
                .as("the bound ends at 31 s, but a recovery at 30 s would have to hold until 35 s").isEmpty();
        now.set(ofSeconds(37).toNanos());
        assertThat(recoveryOnly.reason(recorder.skeleton(), recorder::snapshot, ofSeconds(37), recorder::inFlight)).get().asString()
                .startsWith("Objective 'time to recover < 10 s' violated in phase 'recovery'");
    }

    @Test
    void aPassingRunHasNoReasonToStop() {
        requests(0, 10, Outcome.SUCCESS);
        fault(ofMillis(10_200), ofMillis(20_300));
        requests(10, 60, Outcome.SUCCESS);

        for (int second = 11; second <= 59; second++) {
            assertThat(reasonAt(ofSeconds(second))).as("at %s s", second).isEmpty();
        }
    }

    @Test
    void aFaultThatCannotHaveReachedTheSystemIsAReasonAtOnce() {
        requests(0, 10, Outcome.SUCCESS);
        now.set(ofMillis(10_100).toNanos());
        recorder.event(TimelineEvent.Kind.TRAFFIC_MISSING, "redis-timeout", "the proxy carried no traffic");

        assertThat(reasonAt(ofMillis(10_200))).contains("the run cannot pass: fault 'redis-timeout': the proxy"
                + " carried no traffic");
    }

    @Test
    void aFaultThatCouldNotBeRevertedIsAReasonAtOnceAndOneThatWasIsNot() {
        requests(0, 10, Outcome.SUCCESS);
        now.set(ofMillis(10_100).toNanos());
        recorder.event(TimelineEvent.Kind.FAULT_RESTORED, "redis-timeout", "toxic removed");
        assertThat(reasonAt(ofMillis(10_200))).isEmpty();
        recorder.event(TimelineEvent.Kind.FAULT_RESTORE_FAILED, "exchange-http-errors", "WireMock answered 500");

        assertThat(reasonAt(ofMillis(10_300))).contains("the run cannot pass: fault 'exchange-http-errors': WireMock"
                + " answered 500");
    }

    private java.util.Optional<String> reasonAt(Duration at) {
        now.set(at.toNanos());
        return early.reason(recorder.skeleton(), recorder::snapshot, at, recorder::inFlight);
    }

    private void requests(int fromSecond, int toSecond, Outcome outcome) {
        for (int second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < 100; i++) {
                long start = ofSeconds(second).toNanos() + i * 10_000_000L;
                orders.sending(start);
                orders.record(outcome, start, start, start + ofMillis(5).toNanos());
            }
        }
    }

    private void slowRequests(int fromSecond, int toSecond) {
        for (int second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < 100; i++) {
                long start = ofSeconds(second).toNanos() + i * 10_000_000L;
                orders.sending(start);
                orders.record(Outcome.SUCCESS, start, start, start + ofMillis(400).toNanos());
            }
        }
    }

    private void fault(Duration from, Duration to) {
        now.set(from.toNanos());
        recorder.event(TimelineEvent.Kind.FAULT_INJECTING, "redis-timeout", "");
        recorder.event(TimelineEvent.Kind.FAULT_ACTIVE, "redis-timeout", "");
        if (to != null) {
            now.set(to.toNanos());
            recorder.event(TimelineEvent.Kind.FAULT_RESTORING, "redis-timeout", "");
            recorder.event(TimelineEvent.Kind.FAULT_RESTORED, "redis-timeout", "");
        }
    }
}
