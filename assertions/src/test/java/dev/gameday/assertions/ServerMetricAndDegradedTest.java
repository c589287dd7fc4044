package dev.gameday.assertions;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Timeline;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerMetricAndDegradedTest {

    private static final Duration WARMUP = ofSeconds(5);
    private static final Criterion BREAKER_CLOSED = Criteria.serverMetric("breaker-open").atMost(0);

    /** Healthy to 20 s; the fault from 20.4 s to 40.3 s; the breaker open (1) from 22 s until {@code closesAt}. */
    private static RunFixture breakerRun(int closesAt) {
        return RunFixture.offering(100, 70).healthy(0, 70)
                .server(0, 22, "breaker-open", 0).server(22, closesAt, "breaker-open", 1)
                .server(closesAt, 70, "breaker-open", 0)
                .fault("exchange-timeout", ofMillis(20_400), ofMillis(40_300));
    }

    @Test
    void aServerMetricObjectiveIsMetWhenEveryReadingKeepsTheBoundAndViolatedByOneThatDoesNot() {
        ObjectiveSet objectives = ObjectiveSet.builder()
                .during(Phase.BASELINE, BREAKER_CLOSED)
                .during(Phase.FAULT, BREAKER_CLOSED)
                .recoversWithin(ofSeconds(15), BREAKER_CLOSED)
                .during(Phase.AFTER, BREAKER_CLOSED)
                .build();

        Evaluation evaluation = Evaluator.evaluate(breakerRun(45).timeline(), objectives, WARMUP, Optional.empty());

        assertThat(evaluation.results()).extracting(ObjectiveResult::status).containsExactly(
                ObjectiveResult.Status.MET, ObjectiveResult.Status.VIOLATED, ObjectiveResult.Status.MET,
                ObjectiveResult.Status.MET);
        assertThat(evaluation.violations().get(0).message()).isEqualTo("Objective 'server breaker-open <= 0' violated in"
                + " phase 'fault': expected <= 0, actual 1 (21 readings of 'breaker-open'; highest at 22.5 s)");
        assertThat(evaluation.timeToRecover()).as("closed from 45 s, counted from 41 s").contains(ofSeconds(4));
    }

    @Test
    void aBreakerThatNeverClosesViolatesTheRecoveryAndTheAfterPhase() {
        ObjectiveSet objectives = ObjectiveSet.builder()
                .recoversWithin(ofSeconds(15), BREAKER_CLOSED)
                .during(Phase.AFTER, BREAKER_CLOSED)
                .build();

        Evaluation evaluation = Evaluator.evaluate(breakerRun(70).timeline(), objectives, WARMUP, Optional.empty());

        assertThat(evaluation.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(evaluation.results()).extracting(ObjectiveResult::status)
                .containsOnly(ObjectiveResult.Status.VIOLATED);
    }

    @Test
    void readingsTheHarnessCouldNotTakeLeaveTheObjectiveUnresolvedNeverViolated() {
        Timeline timeline = RunFixture.offering(100, 30).healthy(0, 30)
                .server(0, 5, "breaker-open", 0).server(5, 30, "breaker-open", Double.NaN).timeline();
        ObjectiveSet objectives = ObjectiveSet.builder().during(Phase.BASELINE, BREAKER_CLOSED).build();

        Evaluation evaluation = Evaluator.evaluate(timeline, objectives, WARMUP, Optional.empty());

        assertThat(evaluation.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(evaluation.results().get(0).status()).isEqualTo(ObjectiveResult.Status.UNRESOLVED);
        assertThat(evaluation.results().get(0).message()).contains("only 0 readings of 'breaker-open', 25 that could"
                + " not be taken", "says nothing about the system under test");
    }

    @Test
    void oneReadingOutsideTheBoundViolatesEvenAmongMissingOnes() {
        Timeline timeline = RunFixture.offering(100, 30).healthy(0, 30)
                .server(5, 29, "breaker-open", Double.NaN).server(ofMillis(29_500), "breaker-open", 1).timeline();
        ObjectiveSet objectives = ObjectiveSet.builder().during(Phase.BASELINE, BREAKER_CLOSED).build();

        Evaluation evaluation = Evaluator.evaluate(timeline, objectives, WARMUP, Optional.empty());

        assertThat(evaluation.verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void aSeriesNeverReadAtAllIsUnresolved() {
        Timeline timeline = RunFixture.offering(100, 30).healthy(0, 30).timeline();
        Criterion.Check check = Criteria.serverMetric("heap").atLeast(1).check(timeline.window(ofSeconds(5), ofSeconds(30)));
        assertThat(check.observed()).isFalse();
        assertThat(check.detail()).startsWith("no reading of the server-side series 'heap' was taken in this window");
    }

    @Test
    void atLeastJudgesTheLowestReading() {
        Timeline timeline = RunFixture.offering(100, 10).healthy(0, 10)
                .server(0, 5, "pool", 4).server(5, 10, "pool", 2.5).timeline();
        Criterion.Check check = Criteria.serverMetric("pool").atLeast(3).check(timeline.window(ofSeconds(0), ofSeconds(10)));
        assertThat(check.met()).isFalse();
        assertThat(check.actual()).hasToString("2.5");
        assertThat(Criteria.serverMetric("pool").atLeast(3).check(timeline.window(ofSeconds(0), ofSeconds(5))).met()).isTrue();
    }

    @Test
    void degradedAnswersPassTheSuccessRateButNotFullServiceNorTheDegradedRate() {
        Timeline timeline = RunFixture.offering(100, 30).healthy(0, 30)
                .requests(10, 30, 10, ofMillis(5), Outcome.DEGRADED).timeline();
        var window = timeline.window(ofSeconds(10), ofSeconds(30));

        assertThat(Criteria.successRate().above(99.5).check(window).met()).isTrue();
        Criterion.Check fullService = Criteria.fullService().above(99.0).check(window);
        assertThat(fullService.met()).isFalse();
        assertThat(fullService.actual()).hasToString("90.91 %");
        assertThat(fullService.detail()).isEqualTo("200 of 2,200 requests not answered in full: 200 degraded, 0 failed");
        Criterion.Check degraded = Criteria.degradedRate().below(1.0).check(window);
        assertThat(degraded.met()).isFalse();
        assertThat(degraded.actual()).hasToString("9.09 %");
        assertThat(Criteria.degradedRate().below(10).check(window).met()).isTrue();
        assertThat(Figures.of(window).degraded()).isEqualTo(200);
        assertThat(Figures.of(window).fullServicePercent()).isCloseTo(90.909, org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void rejectsFractionsAndImpossibleBoundsSayingWhatToWrite() {
        assertThatThrownBy(() -> Criteria.fullService().above(0.99)).hasMessageContaining("write above(99)");
        assertThatThrownBy(() -> Criteria.degradedRate().below(0)).hasMessageContaining("Criteria.degradedRate().below(1.0)");
        assertThatThrownBy(() -> Criteria.serverMetric(" ").atMost(0)).hasMessageContaining("breaker-open");
        assertThatThrownBy(() -> Criteria.serverMetric("x").atMost(Double.NaN)).hasMessageContaining("finite");
        assertThat(Criteria.serverMetric("breaker-open").atMost(0).describe()).isEqualTo("server breaker-open <= 0");
        assertThat(Criteria.degradedRate().below(1.0).describe()).isEqualTo("degraded rate < 1.00 %");
    }
}
