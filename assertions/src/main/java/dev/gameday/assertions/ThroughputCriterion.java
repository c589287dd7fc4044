package dev.gameday.assertions;

import dev.gameday.timeline.Window;

/**
 * Successful requests per second reach a minimum: the runbooks' "1 000 requests/s".
 *
 * <pre>{@code
 * Criterion busy = Criteria.throughput().atLeast(190);   // requests/s; atLeast(0.95) is rejected as a share
 * }</pre>
 *
 * @param minimumPerSecond the successful requests per second that must be reached, at least 1 (a smaller value is
 *                         rejected as almost surely a share of the offered rate)
 */
public record ThroughputCriterion(double minimumPerSecond) implements Criterion {

    public ThroughputCriterion {
        if (!(minimumPerSecond > 0) || Double.isInfinite(minimumPerSecond)) {
            throw new IllegalArgumentException("Throughput criterion: minimum must be a finite number > 0 (requests/s), but was "
                    + minimumPerSecond + ". Use Criteria.throughput().atLeast(1000).");
        }
        if (minimumPerSecond < 1) {
            // almost surely a share of the offered rate: less than one success a second is no throughput objective
            throw new IllegalArgumentException("Throughput criterion: the minimum is in successful requests per second,"
                    + " not a share of the offered rate: atLeast(" + Units.plain(minimumPerSecond) + ") means "
                    + Units.plain(minimumPerSecond) + " requests/s; for " + Units.plain(minimumPerSecond * 100)
                    + " % of the offered rate write atLeast(" + Units.plain(minimumPerSecond) + " * rate), for example"
                    + " atLeast(" + Units.plain(minimumPerSecond * 200) + ") at 200 requests/s.");
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
