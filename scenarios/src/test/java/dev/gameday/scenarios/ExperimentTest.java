package dev.gameday.scenarios;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.scenarios.catalogue.RedisTimeouts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentTest {

    @Test
    void placesTheFaultAfterWarmupAndBaseline() {
        Experiment experiment = RedisTimeouts.experiment();

        assertThat(experiment.faultAt()).isEqualTo(ofSeconds(50));
        assertThat(experiment.duration()).isEqualTo(ofSeconds(100));
        assertThat(experiment.parameters()).containsEntry("load", "200 requests/s, open model")
                .containsEntry("fault", "20 s");
    }

    @Test
    void theNegativeControlRunsTheSameExperimentAgainstTheFlawedSystem() {
        Experiment control = RedisTimeouts.negativeControl();
        Experiment experiment = RedisTimeouts.experiment();

        assertThat(control.name()).isEqualTo("redis-timeouts-negative-control");
        assertThat(control.objectives()).as("same objectives: only the system differs").isEqualTo(experiment.objectives());
        assertThat(control.schedule()).isEqualTo(experiment.schedule());
        assertThat(control.durability()).isPresent();
    }

    @Test
    void rejectsAScheduleWithANonPositiveStretch() {
        assertThatThrownBy(() -> FaultSchedule.baseline(ofSeconds(20)).fault(Duration.ZERO))
                .hasMessageStartingWith("Fault schedule: fault must be > 0, but was PT0S.");
    }

    @Test
    void rejectsABaselineTooShortToAssess() {
        assertThatThrownBy(() -> Experiment.named("short", "too short a baseline")
                .given(() -> { throw new AssertionError("never started"); })
                .when(ledger -> List.of(), OpenLoad.ratePerSecond(10))
                .inject(environment -> { throw new AssertionError("never injected"); },
                        FaultSchedule.baseline(ofSeconds(2)).fault(ofSeconds(5)).observe(ofSeconds(5)))
                .then(ObjectiveSet.builder().during(Phase.BASELINE, Criteria.successRate().above(99)).build()))
                .hasMessage("Experiment 'short': a baseline of 2 s is too short to assess; give it at least 5 s.");
    }

    @Test
    void rejectsNamesThatCannotNameADirectory() {
        assertThatThrownBy(() -> Experiment.named("Redis Timeouts!", "x"))
                .hasMessage("Experiment name must be lower-case letters, digits and dashes, such as 'redis-timeouts',"
                        + " but was 'Redis Timeouts!'.");
    }
}
