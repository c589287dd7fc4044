package dev.gameday.scenarios;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.scenarios.catalogue.Catalogue;
import org.junit.jupiter.api.Test;

/** A schedule is checked where it is written, in the Java API, and not only on the command line. */
class FaultScheduleTest {

    private static final String EXAMPLE = " Use for example FaultSchedule.baseline(Duration.ofSeconds(20))"
            + ".fault(Duration.ofSeconds(20)).observe(Duration.ofSeconds(40)).";

    @Test
    void rejectsAFaultTooShortToBeVerified() {
        assertThatThrownBy(() -> FaultSchedule.baseline(ofSeconds(20)).fault(ofMillis(1_999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fault schedule: fault must be at least 2 s, but was PT1.999S: a fault counts only once"
                        + " verified, which takes up to half a second, so a shorter one may end before it counts."
                        + EXAMPLE);
    }

    @Test
    void rejectsAShortFaultAlsoThroughTheConstructor() {
        assertThatThrownBy(() -> new FaultSchedule(ofSeconds(20), ofSeconds(1), ofSeconds(40)))
                .hasMessageStartingWith("Fault schedule: fault must be at least 2 s, but was PT1S:");
    }

    @Test
    void acceptsTheShortestFaultAndTheLongestParts() {
        FaultSchedule shortest = FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(2)).observe(ofSeconds(40));
        FaultSchedule longest = FaultSchedule.baseline(ofHours(24)).fault(ofHours(24)).observe(ofHours(24));

        assertThat(shortest.fault()).isEqualTo(FaultSchedule.MIN_FAULT);
        assertThat(longest.length()).isEqualTo(ofHours(72));
    }

    @Test
    void rejectsABaselineLongerThanADay() {
        assertThatThrownBy(() -> FaultSchedule.baseline(ofHours(24).plusMillis(1)))
                .hasMessage("Fault schedule: baseline must be at most 24 h, but was PT24H0.001S." + EXAMPLE);
    }

    @Test
    void rejectsAFaultLongerThanADay() {
        assertThatThrownBy(() -> FaultSchedule.baseline(ofSeconds(20)).fault(ofHours(99_999)))
                .hasMessage("Fault schedule: fault must be at most 24 h, but was PT99999H." + EXAMPLE);
    }

    @Test
    void rejectsAnObservationLongerThanADay() {
        assertThatThrownBy(() -> FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofHours(25)))
                .hasMessage("Fault schedule: observe must be at most 24 h, but was PT25H." + EXAMPLE);
    }

    @Test
    void rejectsANegativePart() {
        assertThatThrownBy(() -> new FaultSchedule(ofSeconds(-1), ofSeconds(20), ofSeconds(40)))
                .hasMessage("Fault schedule: baseline must be > 0, but was PT-1S." + EXAMPLE);
    }

    @Test
    void everyExperimentOfTheCatalogueAndItsNegativeControlStillValidates() {
        assertThat(Catalogue.entries()).isNotEmpty().allSatisfy(entry -> {
            // building an experiment builds its schedule, which validates
            FaultSchedule schedule = entry.experiment().schedule();
            assertThat(schedule.fault()).as("'%s' has a fault long enough to verify", entry.name())
                    .isGreaterThanOrEqualTo(FaultSchedule.MIN_FAULT);
            assertThat(entry.negativeControl().schedule()).isEqualTo(schedule);
        });
    }
}
