package dev.gameday.assertions;

import dev.gameday.timeline.Window;

/**
 * The share of requests answered degraded stays below a maximum: answered with an accepted status, but with content
 * that says the service fell back (for example an order acknowledged {@code PENDING_ROUTE} while the breaker to the
 * exchange is open). Only traffic that says how to tell a degraded answer can violate it.
 *
 * <pre>{@code
 * Criterion fewFallbacks = Criteria.degradedRate().below(1.0);   // percent: below 1 % of the requests
 * }</pre>
 *
 * @param maximumPercent the share, in percent of all requests, that must not be reached; above 0 and at most 100
 */
public record DegradedRateCriterion(double maximumPercent) implements Criterion {

    public DegradedRateCriterion {
        if (!(maximumPercent > 0 && maximumPercent <= 100)) {
            throw new IllegalArgumentException("Degraded rate criterion: the maximum must be > 0 and <= 100 (percent of the"
                    + " requests), but was " + maximumPercent + ". Use Criteria.degradedRate().below(1.0); to allow no"
                    + " degraded answer at all, use Criteria.fullService().above(..) together with the success rate.");
        }
    }

    @Override
    public String describe() {
        return "degraded rate " + expected();
    }

    @Override
    public String expected() {
        return "< " + Figure.percent(maximumPercent);
    }

    @Override
    public Check check(Window window) {
        double actual = window.degradedPercent();
        return new Check(actual < maximumPercent, Figure.percent(actual), Figure.count(window.degraded()) + " of "
                + Figure.count(window.requests()) + " requests answered degraded");
    }
}
