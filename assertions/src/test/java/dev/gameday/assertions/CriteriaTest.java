package dev.gameday.assertions;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CriteriaTest {

    @Test
    void describesCriteriaTheWayRunbooksWriteThem() {
        assertThat(Criteria.latency().p95().below(ofMillis(100)).describe()).isEqualTo("p95 latency < 100 ms");
        assertThat(Criteria.latency().percentile(99.9).below(ofMillis(250)).describe()).isEqualTo("p99.9 latency < 250 ms");
        assertThat(Criteria.successRate().above(99.5).describe()).isEqualTo("success rate > 99.50 %");
        assertThat(Criteria.throughput().atLeast(1_000).describe()).isEqualTo("throughput >= 1,000.0 requests/s");
    }

    @Test
    void aViolatedSuccessRateSaysWhatTheFailuresWere() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        dev.gameday.timeline.TimelineRecorder recorder = dev.gameday.timeline.TimelineRecorder.create(now::get,
                java.time.Clock.systemUTC());
        dev.gameday.timeline.SeriesRecorder orders = recorder.series("place order");
        recorder.start(dev.gameday.timeline.OfferedLoad.constant(100, java.time.Duration.ofSeconds(1)));
        long start = now.get();
        for (int i = 0; i < 100; i++) {
            long due = start + i * 10_000_000L;
            if (i < 30) {
                orders.recordNoResponse(dev.gameday.timeline.TransportError.TIMEOUT, null, due, due, due + 5_000_000_000L);
            } else if (i < 42) {
                orders.recordErrorStatus(503, due, due, due + 1_000_000L);
            } else {
                orders.record(dev.gameday.timeline.Outcome.SUCCESS, due, due + 1_000_000L);
            }
        }

        Criterion.Check check = Criteria.successRate().above(99.5)
                .check(recorder.snapshot().window(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1)));

        assertThat(check.met()).isFalse();
        assertThat(check.detail()).isEqualTo("42 of 100 requests failed: 12 with an error status, 30 without a response;"
                + " failures: timeout ×30, 503 ×12");
    }

    @Test
    void rejectsAZeroLatencyThresholdSayingWhatToWrite() {
        assertThatThrownBy(() -> Criteria.latency().p95().below(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Latency criterion: threshold must be > 0, but was PT0S."
                        + " Use Criteria.latency().p95().below(Duration.ofMillis(100)).");
    }

    @Test
    void rejectsPercentilesOutOfRange() {
        assertThatThrownBy(() -> Criteria.latency().percentile(120).below(ofMillis(5)))
                .hasMessage("Latency criterion: percentile must be > 0 and <= 100, but was 120.0."
                        + " Use Criteria.latency().p95() or .percentile(99.9).");
    }

    @Test
    void rejectsSuccessRatesOutOfRange() {
        assertThatThrownBy(() -> Criteria.successRate().above(100))
                .hasMessage("Success rate criterion: minimum must be > 0 and < 100 (percent; no rate is above 100 %),"
                        + " but was 100.0. Use Criteria.successRate().above(99.5).");
        assertThatThrownBy(() -> Criteria.successRate().above(-1))
                .hasMessageContaining("but was -1.0");
        assertThatThrownBy(() -> Criteria.successRate().above(0))
                .hasMessageContaining("but was 0.0");
        assertThatThrownBy(() -> Criteria.successRate().above(Double.NaN))
                .hasMessageContaining("but was NaN");
    }

    @Test
    void rejectsASuccessRateGivenAsAFraction() {
        assertThatThrownBy(() -> Criteria.successRate().above(0.995))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Success rate is a percentage: above(0.995) means 0.995 %; for 99.5 % write above(99.5).");
        assertThatThrownBy(() -> Criteria.successRate().above(0.99))
                .hasMessage("Success rate is a percentage: above(0.99) means 0.99 %; for 99 % write above(99).");
        assertThatThrownBy(() -> Criteria.successRate().above(1))
                .hasMessage("Success rate is a percentage: above(1) means 1 %; if you meant every request, no rate is"
                        + " above 100 %: write above(99.9) or higher.");
        assertThat(Criteria.successRate().above(1.5).minimumPercent()).as("just above 1 is a percentage").isEqualTo(1.5);
    }

    @Test
    void rejectsAPercentileGivenAsAFraction() {
        assertThatThrownBy(() -> Criteria.latency().percentile(0.95).below(ofMillis(100)))
                .hasMessage("Latency criterion: the percentile is a percentage: percentile(0.95) means p0.95, the fastest"
                        + " requests; for p95 write percentile(95) or use p50(), p95(), p99().");
        assertThatThrownBy(() -> Criteria.latency().percentile(0.999).below(ofMillis(100)))
                .hasMessageContaining("for p99.9 write percentile(99.9)");
        assertThatThrownBy(() -> Criteria.latency().percentile(0).below(ofMillis(100)))
                .hasMessageStartingWith("Latency criterion: percentile must be > 0 and <= 100, but was 0.0.");
        assertThat(Criteria.latency().percentile(100).below(ofMillis(100)).percentileName()).isEqualTo("p100");
    }

    @Test
    void rejectsAThroughputGivenAsAShareOfTheRate() {
        assertThatThrownBy(() -> Criteria.throughput().atLeast(0.95))
                .hasMessage("Throughput criterion: the minimum is in successful requests per second, not a share of the"
                        + " offered rate: atLeast(0.95) means 0.95 requests/s; for 95 % of the offered rate write"
                        + " atLeast(0.95 * rate), for example atLeast(190) at 200 requests/s.");
        assertThatThrownBy(() -> Criteria.throughput().atLeast(Double.POSITIVE_INFINITY))
                .hasMessageStartingWith("Throughput criterion: minimum must be a finite number > 0");
        assertThat(Criteria.throughput().atLeast(1).minimumPerSecond()).isEqualTo(1);
    }

    @Test
    void refusesAnObjectiveSetThatAssertsNothing() {
        assertThatThrownBy(() -> ObjectiveSet.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("An experiment needs at least one objective; a run that asserts nothing cannot fail.");
    }

    @Test
    void refusesToAssessTheWarmup() {
        assertThatThrownBy(() -> ObjectiveSet.builder().during(Phase.WARMUP, Criteria.successRate().above(99)))
                .hasMessage("Objective 'success rate > 99.00 %': the warmup phase is not assessed."
                        + " Assess the baseline instead, or shorten the warmup.");
    }

    @Test
    void formatsFiguresForPeople() {
        assertThat(Figure.millis(Duration.ofNanos(134_250_000)).toString()).isEqualTo("134 ms");
        assertThat(Figure.millis(Duration.ofNanos(12_345_000)).toString()).isEqualTo("12.3 ms");
        assertThat(Figure.percent(99.871).toString()).isEqualTo("99.87 %");
        assertThat(Figure.seconds(Duration.ofSeconds(45)).orMore().toString()).isEqualTo("more than 45 s");
        assertThat(Figure.count(12_345).toString()).isEqualTo("12,345");
    }
}
