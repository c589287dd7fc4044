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

    /**
     * The shortest fault: a fault counts only once verified from outside, which takes up to half a second after the
     * injection, and phases are whole seconds, so a shorter fault can be over before it has a second of its own.
     */
    public static final Duration MIN_FAULT = Duration.ofSeconds(2);
    /** The longest baseline, fault or observation: past a day it is a soak test, and most likely a typo. */
    public static final Duration MAX_PART = Duration.ofHours(24);

    private static final String EXAMPLE = " Use for example FaultSchedule.baseline(Duration.ofSeconds(20))"
            + ".fault(Duration.ofSeconds(20)).observe(Duration.ofSeconds(40)).";

    public FaultSchedule {
        requireInRange("baseline", baseline);
        requireFault(fault);
        requireInRange("observe", observe);
    }

    /** Starts the schedule with the healthy stretch before the fault. */
    public static FaultStep baseline(Duration baseline) {
        requireInRange("baseline", baseline);
        return new FaultStep(baseline);
    }

    /** Baseline, fault and observation together. */
    public Duration length() {
        return baseline.plus(fault).plus(observe);
    }

    private static void requireInRange(String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Fault schedule: " + what + " must be > 0, but was " + duration + "."
                    + EXAMPLE);
        }
        if (duration.compareTo(MAX_PART) > 0) {
            throw new IllegalArgumentException("Fault schedule: " + what + " must be at most 24 h, but was " + duration
                    + "." + EXAMPLE);
        }
    }

    private static void requireFault(Duration fault) {
        requireInRange("fault", fault);
        if (fault.compareTo(MIN_FAULT) < 0) {
            throw new IllegalArgumentException("Fault schedule: fault must be at least 2 s, but was " + fault
                    + ": a fault counts only once verified, which takes up to half a second, so a shorter one may end"
                    + " before it counts." + EXAMPLE);
        }
    }

    /** Sets how long the fault lasts. */
    public static final class FaultStep {
        private final Duration baseline;

        private FaultStep(Duration baseline) {
            this.baseline = baseline;
        }

        public ObserveStep fault(Duration fault) {
            requireFault(fault);
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
