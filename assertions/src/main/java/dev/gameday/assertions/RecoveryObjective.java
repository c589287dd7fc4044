package dev.gameday.assertions;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * After the fault's revert is verified, the system is back inside its steady-state criteria within a bound.
 *
 * <p>Time-to-recover is the time from the verified revert to the start of the first window of {@code holdFor}
 * in which every steady-state criterion holds. Windows start on whole seconds, so it has one-second resolution.
 *
 * @param within      the bound time-to-recover must stay below
 * @param holdFor     how long the criteria must hold for the system to count as recovered
 * @param steadyState what "recovered" means, usually the baseline's criteria
 */
public record RecoveryObjective(Duration within, Duration holdFor, List<Criterion> steadyState) implements Objective {

    /** Recovered means the criteria held for this long, unless said otherwise. */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(5);

    public RecoveryObjective {
        Objects.requireNonNull(within, "within");
        Objects.requireNonNull(holdFor, "holdFor");
        steadyState = List.copyOf(steadyState);
        steadyState.stream().filter(ServerMetricGrowthCriterion.class::isInstance).findFirst().ifPresent(growth -> {
            throw new IllegalArgumentException("Recovery objective: '" + growth.describe() + "' needs "
                    + ServerMetricGrowthCriterion.MINIMUM_WINDOW.toSeconds() + " s of readings, longer than recovery"
                    + " is judged over. Judge it during a phase, for example during(Phase.AFTER, ...).");
        });
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException("Recovery objective: bound must be > 0, but was " + within
                    + ". Use recoversWithin(Duration.ofSeconds(15), ...).");
        }
        if (holdFor.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Recovery objective: the criteria must hold for at least 1 s (the timeline's"
                    + " resolution), but holdFor was " + holdFor + ".");
        }
        if (steadyState.isEmpty()) {
            throw new IllegalArgumentException("Recovery objective: name at least one criterion that means 'recovered',"
                    + " for example Criteria.successRate().above(99.5).");
        }
    }

    @Override
    public String name() {
        return "time to recover < " + Figure.seconds(within);
    }

    @Override
    public String scope() {
        return Phase.RECOVERY.label();
    }
}
