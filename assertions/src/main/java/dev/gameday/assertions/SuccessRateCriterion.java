package dev.gameday.assertions;

import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Window;

/**
 * The share of requests that succeeded is above a minimum.
 *
 * <pre>{@code
 * Criterion reliable = Criteria.successRate().above(99.5);   // a percentage: above(0.995) is rejected
 * }</pre>
 *
 * @param minimumPercent the share, in percent, that must be exceeded, for example 99.5; a value in (0, 1] is
 *                       rejected as almost surely a fraction
 */
public record SuccessRateCriterion(double minimumPercent) implements Criterion {

    public SuccessRateCriterion {
        if (minimumPercent > 0 && minimumPercent <= 1) {
            // almost surely a fraction: nobody's objective is "more than half a percent of requests succeed"
            String written = Units.plain(minimumPercent);
            String meant = Units.plain(minimumPercent * 100);
            throw new IllegalArgumentException("Success rate is a percentage: above(" + written + ") means " + written
                    + " %; " + (minimumPercent < 1 ? "for " + meant + " % write above(" + meant + ")"
                            : "if you meant every request, no rate is above 100 %: write above(99.9) or higher") + ".");
        }
        if (!(minimumPercent > 0 && minimumPercent < 100)) {
            throw new IllegalArgumentException("Success rate criterion: minimum must be > 0 and < 100 (percent; no rate is"
                    + " above 100 %), but was " + minimumPercent + ". Use Criteria.successRate().above(99.5).");
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
