package dev.gameday.timeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The load the injector was asked to offer, as steps of constant arrival rate; the yardstick for telling whether it
 * actually did.
 *
 * <pre>{@code
 * OfferedLoad load = OfferedLoad.constant(200, Duration.ofSeconds(90));
 * }</pre>
 */
public record OfferedLoad(List<Step> steps) {

    /**
     * One step of constant arrival rate.
     *
     * @param from          start, since the timeline's origin
     * @param to            end (exclusive)
     * @param ratePerSecond requests started per second during the step
     */
    public record Step(Duration from, Duration to, double ratePerSecond) {
        public Step {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.isNegative() || to.compareTo(from) <= 0) {
                throw new IllegalArgumentException(
                        "Offered load step: 'to' must be after 'from' and 'from' >= 0, but was from " + from + " to " + to + ".");
            }
            if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException(
                        "Offered load step: rate must be a finite number >= 0 requests/s, but was " + ratePerSecond + ".");
            }
        }
    }

    public OfferedLoad {
        steps = List.copyOf(steps);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).from().compareTo(steps.get(i - 1).to()) < 0) {
                throw new IllegalArgumentException("Offered load steps must not overlap, but step " + i + " starts at "
                        + steps.get(i).from() + " before step " + (i - 1) + " ends at " + steps.get(i - 1).to() + ".");
            }
        }
    }

    /** A constant rate from the origin for the given duration. */
    public static OfferedLoad constant(double ratePerSecond, Duration duration) {
        return new OfferedLoad(List.of(new Step(Duration.ZERO, duration, ratePerSecond)));
    }

    /**
     * A linear ramp from {@code startRate} to {@code rate} over {@code ramp}, then {@code rate} until {@code total}.
     * The ramp is kept as one step per second at the rate of that second's middle, which offers the same number of
     * requests as the continuous ramp.
     */
    public static OfferedLoad rampThenConstant(double startRate, double rate, Duration ramp, Duration total) {
        if (ramp.compareTo(total) > 0) {
            throw new IllegalArgumentException("Offered load: the ramp (" + ramp + ") must not be longer than the whole"
                    + " load (" + total + ").");
        }
        java.util.List<Step> steps = new java.util.ArrayList<>();
        long rampMillis = ramp.toMillis();
        for (long from = 0; from < rampMillis; from += 1_000) {
            long to = Math.min(rampMillis, from + 1_000);
            double middle = (from + to) / 2.0 / rampMillis;
            steps.add(new Step(Duration.ofMillis(from), Duration.ofMillis(to), startRate + (rate - startRate) * middle));
        }
        if (total.compareTo(ramp) > 0) {
            steps.add(new Step(ramp, total, rate));
        }
        return new OfferedLoad(steps);
    }

    /**
     * The same load cut off at {@code end}: what was offered by a run that stopped there (killed, or stopped early
     * because its verdict was already known).
     *
     * <pre>{@code
     * OfferedLoad offered = OfferedLoad.constant(200, Duration.ofSeconds(90)).until(Duration.ofSeconds(41));
     * }</pre>
     */
    public OfferedLoad until(Duration end) {
        List<Step> kept = new java.util.ArrayList<>();
        for (Step step : steps) {
            if (step.from().compareTo(end) < 0) {
                kept.add(new Step(step.from(), step.to().compareTo(end) < 0 ? step.to() : end, step.ratePerSecond()));
            }
        }
        return new OfferedLoad(kept);
    }

    /** Requests the injector should have started in {@code [from, to)}. */
    public double expectedRequests(Duration from, Duration to) {
        double total = 0;
        for (Step step : steps) {
            Duration start = max(from, step.from());
            Duration end = min(to, step.to());
            if (end.compareTo(start) > 0) {
                total += step.ratePerSecond() * seconds(end.minus(start));
            }
        }
        return total;
    }

    /** When the last step ends; zero without steps. */
    public Duration end() {
        return steps.isEmpty() ? Duration.ZERO : steps.get(steps.size() - 1).to();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
