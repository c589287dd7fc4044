package dev.gameday.assertions;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.TimelineEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final Duration WARMUP = ofSeconds(5);
    private static final Criterion FAST = Criteria.latency().p95().below(ofMillis(100));
    private static final Criterion RELIABLE = Criteria.successRate().above(99.5);
    private static final ObjectiveSet OBJECTIVES = ObjectiveSet.builder()
            .during(Phase.BASELINE, FAST, RELIABLE)
            .during(Phase.FAULT, Criteria.latency().p95().below(ofMillis(500)), RELIABLE)
            .recoversWithin(ofSeconds(15), FAST, RELIABLE)
            .during(Phase.AFTER, FAST, RELIABLE)
            .acknowledgedWritesDurable()
            .build();
    private static final Optional<DurabilityEvidence> ALL_FOUND =
            Optional.of(new DurabilityEvidence("orders table", 3_000, 0, List.of()));

    @Test
    void passesARunThatStaysInsideEveryObjective() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict()).as(evaluation.headline()).isEqualTo(Verdict.PASSED);
        assertThat(evaluation.timeToRecover())
                .as("recovered in the first whole second after the verified heal at 40.32 s")
                .contains(ofMillis(680));
        assertThat(evaluation.phases()).extracting(PhaseSummary::phase)
                .containsExactly(Phase.WARMUP, Phase.BASELINE, Phase.FAULT, Phase.RECOVERY, Phase.AFTER);
        assertThat(evaluation.phase(Phase.BASELINE).orElseThrow().total().requests()).isEqualTo(1_500);
    }

    @Test
    void failsNamingObjectivePhaseExpectedAndActualWhenRequestsFailDuringTheFault() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 20)
                .requests(20, 41, 50, ofMillis(5), Outcome.SUCCESS)
                .requests(20, 41, 50, ofSeconds(5), Outcome.NO_RESPONSE)
                .healthy(41, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(evaluation.violations()).extracting(ObjectiveResult::message).containsExactly(
                "Objective 'p95 latency < 500 ms' violated in phase 'fault': expected < 500 ms, actual 5,001 ms"
                        + " (max 5,001 ms over 2,100 requests)",
                "Objective 'success rate > 99.50 %' violated in phase 'fault': expected > 99.50 %, actual 50.00 %"
                        + " (1,050 of 2,100 requests failed: 0 with an error status, 1,050 without a response)");
        assertThat(evaluation.headline()).isEqualTo("FAILED: 2 of 8 objectives violated");
    }

    @Test
    void measuresTimeToRecoverFromTheVerifiedHeal() {
        var timeline = RunFixture.offering(100, 70).healthy(0, 20)
                .requests(20, 48, 100, ofSeconds(2), Outcome.NO_RESPONSE)
                .healthy(48, 70)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.timeToRecover())
                .as("bad until second 48, heal verified at 40.32 s")
                .contains(ofMillis(7_680));
        assertThat(result(evaluation, RecoveryObjective.class).status()).isEqualTo(ObjectiveResult.Status.MET);
    }

    @Test
    void reportsALowerBoundWhenTheSystemNeverRecovers() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 20)
                .requests(20, 60, 100, ofSeconds(5), Outcome.NO_RESPONSE)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(evaluation.timeToRecover()).isEmpty();
        assertThat(result(evaluation, RecoveryObjective.class).message()).isEqualTo(
                "Objective 'time to recover < 15 s' violated in phase 'recovery': expected < 15 s, actual more than 19 s"
                        + " (not recovered while observed; last 5 s: p95 latency < 100 ms: 5,001 ms,"
                        + " success rate > 99.50 %: 0.00 %)");
    }

    @Test
    void declaresTheRunInvalidWhenTheInjectorCouldNotOfferTheLoad() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 20)
                .requests(20, 41, 80, ofMillis(5), Outcome.SUCCESS)
                .healthy(41, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict())
                .as("a shortfall of the injector is never blamed on the system under test")
                .isEqualTo(Verdict.INVALID);
        assertThat(evaluation.invalidity()).containsExactly(
                "The load generator started 1,680 requests in phase 'fault' where 2,100 were due (80.00 %): it could not"
                        + " keep up, so this run says nothing about the system under test. Lower the rate or give the"
                        + " injector more CPU.");
    }

    @Test
    void failsOnWhatWasSeenWhileTheInjectorCouldBeTrustedEvenIfItStalledLater() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 20)
                .requests(20, 41, 50, ofMillis(5), Outcome.SUCCESS)
                .requests(20, 41, 50, ofSeconds(5), Outcome.NO_RESPONSE)
                .healthy(41, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300))
                .injector(ofSeconds(45), ofMillis(1_500), 100, 20_000)
                .timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict())
                .as("the fault phase's violations were measured by a healthy injector: the system failed")
                .isEqualTo(Verdict.FAILED);
        assertThat(result(evaluation, RecoveryObjective.class).message())
                .as("but nothing is concluded from the phase in which the injector stalled")
                .isEqualTo("Objective 'time to recover < 15 s' unresolved in phase 'recovery': the load generator could"
                        + " not be trusted in this phase, so it says nothing about the system under test");
        assertThat(evaluation.invalidity()).singleElement().asString()
                .startsWith("The load generator itself stalled for 1,500 ms of phase 'recovery'");
        assertThat(evaluation.headline()).isEqualTo("FAILED: 2 of 8 objectives violated; 1 could not be judged");
    }

    @Test
    void declaresTheRunInvalidWhenTheInjectorStalled() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300))
                .injector(ofSeconds(10), ofMillis(1_200), 100, 20_000)
                .timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(evaluation.invalidity()).singleElement().asString()
                .startsWith("The load generator itself stalled for 1,200 ms of phase 'baseline' (8.00 %, longest 1,200 ms)");
    }

    @Test
    void declaresTheRunInvalidWhenTheInjectorRanOutOfFileDescriptors() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300))
                .injector(ofSeconds(30), Duration.ZERO, 19_500, 20_000)
                .timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.invalidity()).singleElement().asString()
                .startsWith("The load generator used 19,500 of its 20,000 file descriptors in phase 'fault'");
    }

    @Test
    void declaresTheRunInvalidWhenTheFaultNeverTookEffect() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 60)
                .event(ofSeconds(20), TimelineEvent.Kind.FAULT_INJECTING, "redis-timeout")
                .event(ofSeconds(40), TimelineEvent.Kind.FAULT_RESTORED, "redis-timeout")
                .timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, ALL_FOUND);

        assertThat(evaluation.verdict()).as("a fault that did nothing cannot pass").isEqualTo(Verdict.INVALID);
        assertThat(evaluation.timeToRecover()).as("nothing to recover from").isEmpty();
        assertThat(evaluation.phases()).extracting(PhaseSummary::phase).containsExactly(Phase.WARMUP, Phase.BASELINE);
        assertThat(evaluation.invalidity()).first().asString()
                .startsWith("Fault 'redis-timeout' was injected but its effect was never confirmed");
        assertThat(evaluation.invalidity())
                .contains("Objective 'p95 latency < 500 ms' unresolved in phase 'fault': the fault phase did not happen"
                        + " in this run: no fault was confirmed active");
    }

    @Test
    void failsWhenAnAcknowledgedWriteIsMissing() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();
        var evidence = new DurabilityEvidence("orders table", 3_000, 2, List.of("7f0c", "9a1e"));

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, Optional.of(evidence));

        assertThat(evaluation.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(evaluation.violations()).singleElement().extracting(ObjectiveResult::message).isEqualTo(
                "Objective 'every acknowledged write is durable' violated in the whole run: expected 0 missing, actual 2"
                        + " (missing from the orders table out of 3,000 acknowledged, for example [7f0c, 9a1e])");
    }

    @Test
    void cannotPassWithoutTheDurabilityCheckItPromised() {
        var timeline = RunFixture.offering(100, 60).healthy(0, 60)
                .fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Evaluation evaluation = Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, Optional.empty());

        assertThat(evaluation.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(result(evaluation, DurabilityObjective.class).status()).isEqualTo(ObjectiveResult.Status.UNRESOLVED);
    }

    private static ObjectiveResult result(Evaluation evaluation, Class<? extends Objective> type) {
        return evaluation.results().stream().filter(r -> type.isInstance(r.objective())).findFirst().orElseThrow();
    }
}
