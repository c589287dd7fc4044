package dev.gameday.assertions;

import dev.gameday.timeline.Window;

/**
 * Successful requests per second reach a minimum: the runbooks' "1 000 requests/s".
 *
 * @param minimumPerSecond the successful requests per second that must be reached
 */
public record ThroughputCriterion(double minimumPerSecond) implements Criterion {

    public ThroughputCriterion {
        if (!(minimumPerSecond > 0) || Double.isInfinite(minimumPerSecond)) {
            throw new IllegalArgumentException("Throughput criterion: minimum must be a finite number > 0 (requests/s), but was "
                    + minimumPerSecond + ". Use Criteria.throughput().atLeast(1000).");
        }
    }

    @Override
    public String describe() {
        return "throughput " + expected();
    }

    @Override
    public String expected() {
        return ">= " + Figure.perSecond(minimumPerSecond);
    }

    @Override
    public Check check(Window window) {
        double actual = window.successRate();
        return new Check(actual >= minimumPerSecond, Figure.perSecond(actual),
                Figure.perSecond(window.requestRate()) + " offered");
    }
}
