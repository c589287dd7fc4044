package dev.gameday.assertions;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhasesTest {

    @Test
    void givesPartialSecondsAroundTheFaultToTheFaultPhase() {
        var timeline = RunFixture.offering(100, 60).fault("redis-timeout", ofMillis(20_400), ofMillis(40_300)).timeline();

        Phases phases = Phases.derive(timeline, ofSeconds(5), ofSeconds(15));

        assertThat(phases.spans()).containsExactly(
                new PhaseSpan(Phase.WARMUP, ofSeconds(0), ofSeconds(5)),
                new PhaseSpan(Phase.BASELINE, ofSeconds(5), ofSeconds(20)),
                new PhaseSpan(Phase.FAULT, ofSeconds(20), ofSeconds(41)),
                new PhaseSpan(Phase.RECOVERY, ofSeconds(41), ofSeconds(56)),
                new PhaseSpan(Phase.AFTER, ofSeconds(56), ofSeconds(60)));
        assertThat(phases.heal()).as("the heal is when the revert was verified").contains(ofMillis(40_320));
    }

    @Test
    void withoutAFaultEverythingAfterWarmupIsBaseline() {
        var timeline = RunFixture.offering(100, 30).timeline();

        assertThat(Phases.derive(timeline, ofSeconds(5), ofSeconds(15)).spans()).containsExactly(
                new PhaseSpan(Phase.WARMUP, ofSeconds(0), ofSeconds(5)),
                new PhaseSpan(Phase.BASELINE, ofSeconds(5), ofSeconds(30)));
    }

    @Test
    void aFaultNeverRevertedRunsToTheEndWithoutRecovery() {
        var timeline = RunFixture.offering(100, 30)
                .event(ofSeconds(10), dev.gameday.timeline.TimelineEvent.Kind.FAULT_INJECTING, "partition")
                .event(ofSeconds(10), dev.gameday.timeline.TimelineEvent.Kind.FAULT_ACTIVE, "partition")
                .timeline();

        Phases phases = Phases.derive(timeline, ofSeconds(5), ofSeconds(15));

        assertThat(phases.spans()).extracting(PhaseSpan::phase)
                .isEqualTo(List.of(Phase.WARMUP, Phase.BASELINE, Phase.FAULT));
        assertThat(phases.span(Phase.FAULT)).hasValue(new PhaseSpan(Phase.FAULT, ofSeconds(10), ofSeconds(30)));
        assertThat(phases.heal()).isEmpty();
    }
}
