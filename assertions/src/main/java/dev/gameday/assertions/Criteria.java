package dev.gameday.assertions;

import java.time.Duration;

/**
 * Builds criteria step by step, so that only a complete criterion compiles.
 *
 * <pre>{@code
 * Criterion fast = Criteria.latency().p95().below(Duration.ofMillis(100));
 * Criterion reliable = Criteria.successRate().above(99.5);
 * Criterion busy = Criteria.throughput().atLeast(1_000);
 * Criterion fewFallbacks = Criteria.degradedRate().below(1.0);          // percent of requests answered degraded
 * Criterion fullService = Criteria.fullService().above(99.0);           // percent answered neither failed nor degraded
 * Criterion breakerClosed = Criteria.serverMetric("breaker-open").atMost(0);
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

    /** The share of requests answered degraded (an accepted status, fallback content); see {@link DegradedRateCriterion}. */
    public static DegradedRateStep degradedRate() {
        return new DegradedRateStep();
    }

    /** The share of requests answered in full, neither failed nor degraded; see {@link FullServiceCriterion}. */
    public static FullServiceStep fullService() {
        return new FullServiceStep();
    }

    /**
     * Every reading of a server-side series the experiment scrapes (by the name it declares it under) in the window;
     * see {@link ServerMetricCriterion}.
     */
    public static ServerMetricStep serverMetric(String series) {
        return new ServerMetricStep(series);
    }

    /** Sets the share of degraded answers that must not be reached. */
    public static final class DegradedRateStep {
        private DegradedRateStep() {
        }

        public DegradedRateCriterion below(double percent) {
            return new DegradedRateCriterion(percent);
        }
    }

    /** Sets the share of requests answered in full that must be exceeded. */
    public static final class FullServiceStep {
        private FullServiceStep() {
        }

        public FullServiceCriterion above(double percent) {
            return new FullServiceCriterion(percent);
        }
    }

    /** Sets the bound every reading of the server-side series must keep. */
    public static final class ServerMetricStep {
        private final String series;

        private ServerMetricStep(String series) {
            this.series = series;
        }

        /** Every reading is at most {@code value}. */
        public ServerMetricCriterion atMost(double value) {
            return new ServerMetricCriterion(series, ServerMetricCriterion.Bound.AT_MOST, value);
        }

        /** Every reading is at least {@code value}. */
        public ServerMetricCriterion atLeast(double value) {
            return new ServerMetricCriterion(series, ServerMetricCriterion.Bound.AT_LEAST, value);
        }

        /** How fast the series' floor grows; see {@link ServerMetricGrowthCriterion}. */
        public GrowthStep growthPerMinute() {
            return new GrowthStep(series);
        }
    }

    /** Sets how much the floor of a server-side series may grow in a minute. */
    public static final class GrowthStep {
        private final String series;

        private GrowthStep(String series) {
            this.series = series;
        }

        /** The floor grows by at most {@code perMinute} a minute, in the unit the system publishes the series in. */
        public ServerMetricGrowthCriterion atMost(double perMinute) {
            return new ServerMetricGrowthCriterion(series, perMinute);
        }
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
