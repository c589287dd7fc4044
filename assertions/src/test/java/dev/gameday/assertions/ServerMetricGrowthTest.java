package dev.gameday.assertions;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A leak is the floor of a sawtooth rising: a heap that climbs and drops with every collection is judged by the level
 * it falls back to, not by its peaks, so that a healthy garbage-collected heap passes and a leaking one fails.
 */
class ServerMetricGrowthTest {

    private static final Duration WARMUP = ofSeconds(5);
    private static final double MB = 1e6;
    private static final Criterion LEAK_BOUND = Criteria.serverMetric("heap").growthPerMinute().atMost(8 * MB);

    /**
     * A heap read once a second, 0.5 s into each second, that climbs 10 MB a second and is collected every 4 s, with
     * its floor rising by {@code floorPerSecond}; the fault from 40.4 s to 50.3 s, so the baseline is 5 s to 40 s.
     */
    private static RunFixture sawtooth(double floorPerSecond) {
        RunFixture run = RunFixture.offering(100, 70).healthy(0, 70);
        for (int second = 0; second < 70; second++) {
            double at = second + 0.5;
            run.server(ofMillis(second * 1_000L + 500), "heap", 100 * MB + floorPerSecond * at + (second % 4) * 10 * MB);
        }
        return run.fault("memory-pressure", ofMillis(40_400), ofMillis(50_300));
    }

    private static Evaluation evaluate(RunFixture run, Criterion criterion) {
        return Evaluator.evaluate(run.timeline(), ObjectiveSet.builder().during(Phase.BASELINE, criterion).build(),
                WARMUP, Optional.empty());
    }

    private static double actual(ObjectiveResult result) {
        if (result instanceof ObjectiveResult.Met met) {
            return met.actual().value();
        }
        return ((ObjectiveResult.Violated) result).actual().value();
    }

    @Test
    void aSawtoothWhoseFloorStaysFlatMeetsTheBoundThoughItsPeaksAre30MbAboveIt() {
        Evaluation evaluation = evaluate(sawtooth(0), LEAK_BOUND);

        assertThat(evaluation.verdict()).as(evaluation.results().toString()).isEqualTo(Verdict.PASSED);
        assertThat(actual(evaluation.results().get(0))).isCloseTo(0, within(1.0));
        assertThat(evaluation.results().get(0).message()).startsWith("Objective 'server heap growth <= 8,000,000 per"
                + " minute' met in phase 'baseline': actual 0 per minute (floor (lowest reading of each 5 s) from");
    }

    @Test
    void aRisingFloorViolatesTheBoundNamingTheGrowthTheFloorsAndThePhase() {
        Evaluation evaluation = evaluate(sawtooth(0.5 * MB), LEAK_BOUND);

        assertThat(evaluation.verdict()).isEqualTo(Verdict.FAILED);
        ObjectiveResult result = evaluation.violations().get(0);
        assertThat(actual(result)).as("0.5 MB a second").isCloseTo(30 * MB, within(0.01 * MB));
        assertThat(result.message()).startsWith("Objective 'server heap growth <= 8,000,000 per minute' violated in"
                + " phase 'baseline': expected <= 8,000,000 per minute, actual 30,000,000 per minute (floor (lowest"
                + " reading of each 5 s) from ").contains("7 floors, 35 readings of 'heap'");
    }

    @Test
    void aFloorThatFallsAfterAFullCollectionMeetsIt() {
        Evaluation evaluation = evaluate(sawtooth(-0.2 * MB), LEAK_BOUND);

        assertThat(evaluation.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(actual(evaluation.results().get(0))).isNegative();
    }

    @Test
    void tooFewReadingsLeaveTheGrowthUnresolvedNeverViolated() {
        RunFixture run = RunFixture.offering(100, 70).healthy(0, 70)
                .server(0, 12, "heap", 100 * MB).server(12, 70, "heap", Double.NaN)
                .fault("memory-pressure", ofMillis(40_400), ofMillis(50_300));

        Evaluation evaluation = evaluate(run, LEAK_BOUND);

        assertThat(evaluation.results().get(0).status()).isEqualTo(ObjectiveResult.Status.UNRESOLVED);
        assertThat(evaluation.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(evaluation.results().get(0).message()).contains("only 7 readings of 'heap', 28 that could not be"
                + " taken", "a growth needs readings in at least 4 slices (20 s)", "says nothing about the system");
    }

    @Test
    void aPhaseWithAGrowthObjectiveNeedsTwentySecondsAndARecoveryCannotJudgeOne() {
        ObjectiveSet objectives = ObjectiveSet.builder().during(Phase.BASELINE, LEAK_BOUND)
                .during(Phase.FAULT, Criteria.successRate().above(99.5)).build();

        assertThat(objectives.minimumLength(Phase.BASELINE)).isEqualTo(ofSeconds(20));
        assertThat(objectives.minimumLength(Phase.FAULT)).isZero();
        assertThatThrownBy(() -> ObjectiveSet.builder().recoversWithin(ofSeconds(15), LEAK_BOUND))
                .hasMessageContaining("'server heap growth <= 8,000,000 per minute' needs 20 s of readings")
                .hasMessageContaining("Judge it during a phase");
        assertThatThrownBy(() -> Criteria.serverMetric("heap").growthPerMinute().atMost(-1))
                .hasMessageContaining("must be a finite number of at least 0, but was -1.0");
    }
}
