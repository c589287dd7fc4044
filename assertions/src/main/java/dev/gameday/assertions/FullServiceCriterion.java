package dev.gameday.assertions;

import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Window;

/**
 * The share of requests answered in full is above a minimum: answered with an accepted status and not degraded. The
 * success rate counts a fallback answer (a {@code 201} with {@code PENDING_ROUTE}) as a success; this does not.
 *
 * <pre>{@code
 * Criterion fullService = Criteria.fullService().above(99.0);   // a percentage: above(0.99) is rejected
 * }</pre>
 *
 * @param minimumPercent the share, in percent, that must be exceeded; a value in (0, 1] is rejected as almost surely
 *                       a fraction
 */
public record FullServiceCriterion(double minimumPercent) implements Criterion {

    public FullServiceCriterion {
        if (minimumPercent > 0 && minimumPercent <= 1) {
            String written = Units.plain(minimumPercent);
            throw new IllegalArgumentException("Full service is a percentage: above(" + written + ") means " + written
                    + " %; for " + Units.plain(minimumPercent * 100) + " % write above("
                    + Units.plain(minimumPercent * 100) + ").");
        }
        if (!(minimumPercent > 0 && minimumPercent < 100)) {
            throw new IllegalArgumentException("Full service criterion: minimum must be > 0 and < 100 (percent; no share is"
                    + " above 100 %), but was " + minimumPercent + ". Use Criteria.fullService().above(99.0).");
        }
    }

    @Override
    public String describe() {
        return "full service " + expected();
    }

    @Override
    public String expected() {
        return "> " + Figure.percent(minimumPercent);
    }

    @Override
    public Check check(Window window) {
        double actual = window.fullServicePercent();
        String detail = Figure.count(window.requests() - window.count(Outcome.SUCCESS)) + " of "
                + Figure.count(window.requests()) + " requests not answered in full: " + Figure.count(window.degraded())
                + " degraded, " + Figure.count(window.failures()) + " failed";
        return new Check(actual > minimumPercent, Figure.percent(actual), detail);
    }
}
