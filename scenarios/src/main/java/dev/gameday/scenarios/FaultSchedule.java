package dev.gameday.scenarios;

import java.time.Duration;
import java.util.Objects;

/**
 * When the fault happens, after the warmup: a healthy baseline, the fault, then the time the system is watched
 * recovering.
 *
 * <pre>{@code
 * FaultSchedule schedule = FaultSchedule.baseline(Duration.ofSeconds(20))
 *         .fault(Duration.ofSeconds(20))
 *         .observe(Duration.ofSeconds(40));
 * }</pre>
 *
 * @param baseline how long the system runs healthy under load before the fault
 * @param fault    how long the fault lasts
 * @param observe  how long the load goes on after the fault is reverted
 */
public record FaultSchedule(Duration baseline, Duration fault, Duration observe) {

    public FaultSchedule {
        requirePositive("baseline", baseline);
        requirePositive("fault", fault);
        requirePositive("observe", observe);
    }

    /** Starts the schedule with the healthy stretch before the fault. */
    public static FaultStep baseline(Duration baseline) {
        requirePositive("baseline", baseline);
        return new FaultStep(baseline);
    }

    /** Baseline, fault and observation together. */
    public Duration length() {
        return baseline.plus(fault).plus(observe);
    }

    private static void requirePositive(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Fault schedule: " + what + " must be > 0, but was " + duration
                    + ". Use for example FaultSchedule.baseline(Duration.ofSeconds(20)).fault(Duration.ofSeconds(20))"
                    + ".observe(Duration.ofSeconds(40)).");
        }
    }

    /** Sets how long the fault lasts. */
    public static final class FaultStep {
        private final Duration baseline;

        private FaultStep(Duration baseline) {
            this.baseline = baseline;
        }

        public ObserveStep fault(Duration fault) {
            requirePositive("fault", fault);
            return new ObserveStep(baseline, fault);
        }
    }

    /** Sets how long the system is watched after the fault. */
    public static final class ObserveStep {
        private final Duration baseline;
        private final Duration fault;

        private ObserveStep(Duration baseline, Duration fault) {
            this.baseline = baseline;
            this.fault = fault;
        }

        public FaultSchedule observe(Duration observe) {
            return new FaultSchedule(baseline, fault, observe);
        }
    }
}
