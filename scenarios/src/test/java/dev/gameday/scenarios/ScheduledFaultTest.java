package dev.gameday.scenarios;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.Fault;
import dev.gameday.faults.TrafficMeter;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineEvent.Kind;
import dev.gameday.timeline.TimelineRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The fault's script on the experiment's clock: a hand-driven clock jumps to each due time at once, so these tests
 * never wait for the schedule; only the fault's own verification deadline runs in real time.
 */
class ScheduledFaultTest {

    private static final Duration WARMUP = ofSeconds(10);
    private static final Duration INJECT_AT = ofSeconds(30);
    private static final Duration LENGTH = ofSeconds(20);

    private final VirtualClock clock = new VirtualClock();
    private final TimelineRecorder recorder = TimelineRecorder.create(clock.nanos::get, Clock.systemUTC());
    private final SeriesRecorder healthy = recorder.series("place order");
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final LiveProgress progress = new LiveProgress(recorder,
            new PrintStream(console, true, StandardCharsets.UTF_8), WARMUP, INJECT_AT, ofSeconds(15));

    ScheduledFaultTest() {
        recorder.start(OfferedLoad.constant(100, ofSeconds(90)));
    }

    @Test
    void injectsWhenDueAndRevertsOnScheduleWithTrafficEvidenceForBothPhases() {
        FakeDisruption disruption = new FakeDisruption(Duration.ZERO);

        run(disruption, clock);

        assertThat(events()).extracting(TimelineEvent::kind).containsExactly(Kind.FAULT_SCHEDULED,
                Kind.TRAFFIC_OBSERVED, Kind.FAULT_INJECTING, Kind.FAULT_ACTIVE, Kind.TRAFFIC_OBSERVED,
                Kind.FAULT_RESTORING, Kind.FAULT_RESTORED);
        assertThat(at(Kind.FAULT_INJECTING)).as("injected when due").isEqualTo(INJECT_AT);
        assertThat(at(Kind.FAULT_RESTORING)).as("reverted on schedule").isEqualTo(INJECT_AT.plus(LENGTH));
        assertThat(detail(Kind.TRAFFIC_OBSERVED)).isEqualTo("bytes into the fake proxy: 100 bytes from the system under"
                + " test during the baseline");
        assertThat(disruption.applied).as("nothing left applied").isFalse();
    }

    @Test
    void revertsOnScheduleEvenWhenVerificationWouldOutlastTheFault() {
        // Its effect would show only after 3 s, but the fault lasts 1 s: the old runner verified it at 3 s and then
        // left it applied to the end of the load, because the revert had found nothing to revert at 1 s.
        FakeDisruption disruption = new FakeDisruption(ofSeconds(3));
        long started = System.nanoTime();

        run(disruption, clock, ofSeconds(1));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(events()).extracting(TimelineEvent::kind).doesNotContain(Kind.FAULT_ACTIVE)
                .contains(Kind.FAULT_INJECTION_FAILED);
        assertThat(detail(Kind.FAULT_INJECTION_FAILED)).startsWith("its effect did not show within 1 s");
        assertThat(disruption.applied).as("reverted by the end of its slot, not left applied").isFalse();
        assertThat(took).as("the script ended with the fault's 1 s slot, not with the 3 s the effect needed")
                .isLessThan(ofMillis(2_500));
    }

    @Test
    void neverInjectsAFaultThatIsNotDueBeforeTheLoadEnds() {
        FakeDisruption disruption = new FakeDisruption(Duration.ZERO);
        clock.loadEndsAt(ofSeconds(25));

        run(disruption, clock);

        assertThat(events()).extracting(TimelineEvent::kind).containsExactly(Kind.FAULT_SCHEDULED);
        assertThat(detail(Kind.FAULT_SCHEDULED)).isEqualTo("due at 30 s for 20 s");
        assertThat(disruption.applications).as("never applied").isZero();
    }

    @Test
    void doesNotInjectAFaultWhoseSlotHadPassedWhenTheScheduleWoke() {
        FakeDisruption disruption = new FakeDisruption(Duration.ZERO);
        clock.wakeLate(INJECT_AT, INJECT_AT.plus(LENGTH).plusSeconds(1)); // a stall longer than the whole fault

        run(disruption, clock);

        assertThat(disruption.applications).as("never applied outside its slot").isZero();
        assertThat(events()).extracting(TimelineEvent::kind).doesNotContain(Kind.FAULT_INJECTING);
        assertThat(events()).extracting(TimelineEvent::detail)
                .contains("fault 'fake-timeout' was due at 30 s, but its schedule woke only at 51 s, past the fault's"
                        + " end; it was not injected");
        assertThat(evaluate().verdict()).as("a fault never attempted tested nothing").isEqualTo(Verdict.INVALID);
    }

    @Test
    void revertsAtOnceWhenTheLoadEndsDuringTheFault() {
        FakeDisruption disruption = new FakeDisruption(Duration.ZERO);
        clock.loadEndsAt(ofSeconds(40));

        run(disruption, clock);

        assertThat(events()).extracting(TimelineEvent::kind).endsWith(Kind.FAULT_RESTORING, Kind.FAULT_RESTORED);
        assertThat(at(Kind.FAULT_RESTORING)).as("as the load ended, not at the scheduled 50 s").isEqualTo(ofSeconds(40));
        assertThat(disruption.applied).isFalse();
    }

    @Test
    void recordsMissingTrafficWhenTheSystemSendsNothingThroughTheFaultsTarget() {
        FakeDisruption disruption = new FakeDisruption(Duration.ZERO);
        disruption.bytesPerRead = 0;

        run(disruption, clock);

        assertThat(events()).filteredOn(e -> e.kind() == Kind.TRAFFIC_MISSING).extracting(TimelineEvent::detail)
                .containsExactly(
                        "During the baseline, bytes into the fake proxy carried no traffic from the system under test, so"
                                + " fault 'fake-timeout' cannot have reached it: the system talks to that dependency some"
                                + " other way. Check that its connection settings point at the proxy, not at the"
                                + " dependency directly.",
                        "During the fault, bytes into the fake proxy carried no traffic from the system under test, so"
                                + " fault 'fake-timeout' cannot have reached it: the system talks to that dependency some"
                                + " other way. Check that its connection settings point at the proxy, not at the"
                                + " dependency directly.");
    }

    @Test
    void aFaultWhoseEffectNeverShowsMakesTheRunInvalid() {
        FakeDisruption disruption = new FakeDisruption(ofSeconds(3));

        run(disruption, clock, ofSeconds(1));

        Evaluation evaluation = evaluate();
        assertThat(evaluation.verdict()).as("the real injection-failed sequence: the run tested nothing")
                .isEqualTo(Verdict.INVALID);
        assertThat(evaluation.invalidity()).first().asString()
                .startsWith("Fault 'fake-timeout' could not be injected: its effect did not show within 1 s");
    }

    @Test
    void aFaultThatCannotBeRevertedMakesTheRunInvalid() {
        FakeDisruption disruption = new FakeDisruption(Duration.ZERO);
        disruption.revertFails = true;

        run(disruption, clock);

        assertThat(events()).extracting(TimelineEvent::kind)
                .endsWith(Kind.FAULT_RESTORING, Kind.FAULT_RESTORE_FAILED, Kind.NOTE);
        Evaluation evaluation = evaluate();
        assertThat(evaluation.verdict()).as("the real restore-failed sequence: nothing after it can be trusted")
                .isEqualTo(Verdict.INVALID);
        assertThat(evaluation.invalidity()).first().asString()
                .startsWith("Fault 'fake-timeout' could not be reverted: the proxy's API refused the change");
    }

    /** A healthy system under the script's events: the verdict then depends on the fault's life cycle alone. */
    private Evaluation evaluate() {
        long origin = recorder.readingAt(Duration.ZERO);
        SeriesRecorder orders = healthy;
        for (int second = 0; second < 90; second++) {
            for (int i = 0; i < 100; i++) {
                long due = origin + ofSeconds(second).toNanos() + i * 10_000_000L;
                orders.record(Outcome.SUCCESS, due, due + ofMillis(5).toNanos());
            }
        }
        ObjectiveSet objectives = ObjectiveSet.builder()
                .during(Phase.BASELINE, Criteria.successRate().above(99.5))
                .during(Phase.FAULT, Criteria.successRate().above(99.5))
                .recoversWithin(ofSeconds(15), Criteria.successRate().above(99.5))
                .build();
        return Evaluator.evaluate(recorder.snapshot(), objectives, WARMUP, Optional.empty());
    }

    private void run(FakeDisruption disruption, ScheduledFault.Clock clock) {
        run(disruption, clock, LENGTH);
    }

    private void run(FakeDisruption disruption, ScheduledFault.Clock clock, Duration length) {
        Fault fault = Fault.of("fake-timeout", disruption);
        try (ScheduledFault script = new ScheduledFault(fault, progress, WARMUP, INJECT_AT, length, clock)) {
            script.start();
            await("the fault's script ends or waits for the end of the load").atMost(ofSeconds(10))
                    .until(() -> script.isDone() || this.clock.waitingAtLoadEnd());
            this.clock.endLoad();
        }
    }

    private List<TimelineEvent> events() {
        return recorder.snapshot().events();
    }

    private Duration at(Kind kind) {
        return recorder.snapshot().first(kind).orElseThrow().at();
    }

    private String detail(Kind kind) {
        return recorder.snapshot().first(kind).orElseThrow().detail();
    }

    /** Jumps to each due time at once, up to the end of the load, where it waits to be stopped. */
    private static final class VirtualClock implements ScheduledFault.Clock {
        final AtomicLong nanos = new AtomicLong();
        private volatile Duration loadEnd = ofSeconds(90);
        private volatile boolean waiting;
        private volatile Duration lateFor;
        private volatile Duration wokeAt;

        /** The wait for {@code due} ends only at {@code woke}, as a stalled thread's would. */
        void wakeLate(Duration due, Duration woke) {
            lateFor = due;
            wokeAt = woke;
        }

        void loadEndsAt(Duration end) {
            loadEnd = end;
        }

        boolean waitingAtLoadEnd() {
            return waiting;
        }

        /** The load ends: time moves to its end, and the script is then stopped. */
        void endLoad() {
            nanos.accumulateAndGet(loadEnd.toNanos(), Math::max);
        }

        @Override
        public Duration elapsed() {
            return Duration.ofNanos(nanos.get());
        }

        @Override
        public boolean sleepUntil(Duration at, CountDownLatch stop) throws InterruptedException {
            if (at.compareTo(loadEnd) >= 0) {
                waiting = true;
                stop.await();
                return false;
            }
            Duration until = at.equals(lateFor) ? wokeAt : at;
            nanos.accumulateAndGet(until.toNanos(), Math::max);
            return stop.getCount() > 0;
        }
    }

    /** A fault backend in memory; its effect shows {@code effectDelay} (real time) after it is applied. */
    private static final class FakeDisruption implements Disruption {
        private final Duration effectDelay;
        volatile boolean applied;
        volatile int applications;
        volatile long appliedAt;
        volatile long bytesPerRead = 100;
        volatile boolean revertFails;
        private final AtomicLong bytes = new AtomicLong();

        FakeDisruption(Duration effectDelay) {
            this.effectDelay = effectDelay;
        }

        @Override
        public String describe() {
            return "fake timeout";
        }

        @Override
        public void apply(AppliedState injection) {
            applications++;
            appliedAt = System.nanoTime();
            applied = true;
        }

        @Override
        public void revert(AppliedState injection) {
            if (revertFails && applications > 0) {
                throw new IllegalStateException("the proxy's API refused the change");
            }
            applied = false;
        }

        @Override

        public AppliedState prepare() {
            return AppliedState.of("test");
        }


        @Override
        public Observation observe(AppliedState injection) {
            boolean shows = applied && System.nanoTime() - appliedAt >= effectDelay.toNanos();
            return shows ? Observation.inEffect("no answer") : Observation.notInEffect("answered");
        }

        @Override
        public Optional<TrafficMeter> trafficMeter() {
            return Optional.of(new TrafficMeter() {
                @Override
                public String describe() {
                    return "bytes into the fake proxy";
                }

                @Override
                public long bytesSoFar() {
                    return bytes.addAndGet(bytesPerRead);
                }
            });
        }
    }
}
