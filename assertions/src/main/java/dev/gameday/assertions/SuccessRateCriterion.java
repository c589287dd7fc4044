package dev.gameday.assertions;

import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Window;

/**
 * The share of requests that succeeded is above a minimum.
 *
 * @param minimumPercent the share, in percent, that must be exceeded, for example 99.5
 */
public record SuccessRateCriterion(double minimumPercent) implements Criterion {

    public SuccessRateCriterion {
        if (!(minimumPercent >= 0 && minimumPercent < 100)) {
            throw new IllegalArgumentException("Success rate criterion: minimum must be >= 0 and < 100 (percent), but was "
                    + minimumPercent + ". Use Criteria.successRate().above(99.5).");
        }
    }

    @Override
    public String describe() {
        return "success rate " + expected();
    }

    @Override
    public String expected() {
        return "> " + Figure.percent(minimumPercent);
    }

    @Override
    public Check check(Window window) {
        double actual = window.successPercent();
        String detail = Figure.count(window.failures()) + " of " + Figure.count(window.requests()) + " requests failed: "
                + Figure.count(window.count(Outcome.ERROR_STATUS)) + " with an error status, "
                + Figure.count(window.count(Outcome.NO_RESPONSE)) + " without a response"
                + (window.failureBreakdown().isEmpty() ? "" : "; failures: " + Figures.describe(window.failureCounts(), ", "));
        return new Check(actual > minimumPercent, Figure.percent(actual), detail);
    }
}
