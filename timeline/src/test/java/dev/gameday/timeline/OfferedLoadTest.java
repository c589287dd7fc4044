package dev.gameday.timeline;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferedLoadTest {

    @Test
    void expectsRateTimesOverlapAcrossSteps() {
        OfferedLoad load = new OfferedLoad(List.of(
                new OfferedLoad.Step(Duration.ZERO, ofSeconds(10), 100),
                new OfferedLoad.Step(ofSeconds(10), ofSeconds(20), 300)));

        assertThat(load.expectedRequests(ofSeconds(5), ofSeconds(15))).isEqualTo(500 + 1_500);
        assertThat(load.expectedRequests(ofSeconds(20), ofSeconds(30))).isZero();
        assertThat(load.end()).isEqualTo(ofSeconds(20));
    }

    @Test
    void aRampOffersWhatTheContinuousRampWould() {
        OfferedLoad load = OfferedLoad.rampThenConstant(20, 200, ofSeconds(10), ofSeconds(30));

        assertThat(load.expectedRequests(Duration.ZERO, ofSeconds(10)))
                .as("the area under a linear ramp from 20/s to 200/s over 10 s")
                .isCloseTo(1_100, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(load.expectedRequests(ofSeconds(10), ofSeconds(30))).isEqualTo(4_000);
        assertThat(load.end()).isEqualTo(ofSeconds(30));
    }

    @Test
    void rejectsNegativeRateNamingIt() {
        assertThatThrownBy(() -> OfferedLoad.constant(-5, ofSeconds(1)))
                .hasMessage("Offered load step: rate must be a finite number >= 0 requests/s, but was -5.0.");
    }

    @Test
    void rejectsOverlappingSteps() {
        assertThatThrownBy(() -> new OfferedLoad(List.of(
                new OfferedLoad.Step(Duration.ZERO, ofSeconds(10), 1),
                new OfferedLoad.Step(ofSeconds(5), ofSeconds(20), 1))))
                .hasMessage("Offered load steps must not overlap, but step 1 starts at PT5S before step 0 ends at PT10S.");
    }
}
