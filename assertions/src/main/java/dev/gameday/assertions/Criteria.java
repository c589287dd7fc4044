package dev.gameday.assertions;

import java.time.Duration;

/**
 * Builds criteria step by step, so that only a complete criterion compiles.
 *
 * <pre>{@code
 * Criterion fast = Criteria.latency().p95().below(Duration.ofMillis(100));
 * Criterion reliable = Criteria.successRate().above(99.5);
 * Criterion busy = Criteria.throughput().atLeast(1_000);
 * }</pre>
 */
public final class Criteria {

    private Criteria() {
    }

    public static PercentileStep latency() {
        return new PercentileStep();
    }

    public static SuccessRateStep successRate() {
        return new SuccessRateStep();
    }

    public static ThroughputStep throughput() {
        return new ThroughputStep();
    }

    /** Chooses the percentile. */
    public static final class PercentileStep {
        private PercentileStep() {
        }

        public ThresholdStep p50() {
            return percentile(50);
        }

        public ThresholdStep p95() {
            return percentile(95);
        }

        public ThresholdStep p99() {
            return percentile(99);
        }

        public ThresholdStep percentile(double percentile) {
            return new ThresholdStep(percentile);
        }
    }

    /** Sets the latency the percentile must stay below. */
    public static final class ThresholdStep {
        private final double percentile;

        private ThresholdStep(double percentile) {
            this.percentile = percentile;
        }

        public LatencyCriterion below(Duration threshold) {
            return new LatencyCriterion(percentile, threshold);
        }
    }

    /** Sets the share of successful requests that must be exceeded. */
    public static final class SuccessRateStep {
        private SuccessRateStep() {
        }

        public SuccessRateCriterion above(double percent) {
            return new SuccessRateCriterion(percent);
        }
    }

    /** Sets the successful requests per second that must be reached. */
    public static final class ThroughputStep {
        private ThroughputStep() {
        }

        public ThroughputCriterion atLeast(double requestsPerSecond) {
            return new ThroughputCriterion(requestsPerSecond);
        }
    }
}
