package dev.gameday.assertions;

import dev.gameday.timeline.ServerSample;
import dev.gameday.timeline.Window;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Every reading of a server-side series in the window keeps a bound: the system's own view of itself, read by the
 * harness from its metrics while the run goes on (for example {@code breaker-open}, the gauge of its circuit breaker's
 * open state, read from {@code resilience4j_circuitbreaker_state{name="exchange",state="open"}}).
 *
 * <p>Readings the harness could not take are missing, never the system's failure. One reading outside the bound
 * violates it; it is met only if at least half the readings of the window were taken and all of them keep the bound;
 * otherwise it is unresolved.
 *
 * <pre>{@code
 * ObjectiveSet objectives = ObjectiveSet.builder()
 *         .recoversWithin(Duration.ofSeconds(20), Criteria.serverMetric("breaker-open").atMost(0))
 *         .during(Phase.AFTER, Criteria.serverMetric("breaker-open").atMost(0))
 *         .build();
 * }</pre>
 *
 * @param series    the name the experiment declares the series under, for example {@code breaker-open}
 * @param bound     which side the threshold bounds
 * @param threshold the bound, in the unit the system publishes the series in
 */
public record ServerMetricCriterion(String series, Bound bound, double threshold) implements Criterion {

    /** Which side of the threshold every reading must stay on. */
    public enum Bound {
        AT_MOST("<="), AT_LEAST(">=");

        private final String symbol;

        Bound(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public ServerMetricCriterion {
        Objects.requireNonNull(bound, "bound");
        if (series == null || series.isBlank()) {
            throw new IllegalArgumentException("Server metric criterion: name the server-side series the experiment"
                    + " scrapes, for example Criteria.serverMetric(\"breaker-open\").atMost(0), but was '" + series + "'.");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("Server metric criterion '" + series + "': the threshold must be a finite"
                    + " number, but was " + threshold + ".");
        }
    }

    @Override
    public String describe() {
        return "server " + series + " " + expected();
    }

    @Override
    public String expected() {
        return bound.symbol() + " " + Figure.value(threshold);
    }

    @Override
    public Check check(Window window) {
        List<ServerSample> samples = window.serverSamples(series);
        List<ServerSample> taken = samples.stream().filter(s -> !s.isMissing()).toList();
        long missing = samples.size() - taken.size();
        ServerSample worst = null;
        for (ServerSample sample : taken) {
            double value = sample.value().getAsDouble();
            if (worst == null || (bound == Bound.AT_MOST ? value > worst.value().getAsDouble()
                    : value < worst.value().getAsDouble())) {
                worst = sample;
            }
        }
        String counts = taken.size() + " reading" + (taken.size() == 1 ? "" : "s") + " of '" + series + "'"
                + (missing == 0 ? "" : ", " + missing + " that could not be taken");
        if (worst != null && !keeps(worst.value().getAsDouble())) {
            return new Check(false, Figure.value(worst.value().getAsDouble()), counts + "; "
                    + (bound == Bound.AT_MOST ? "highest" : "lowest") + " at " + at(worst));
        }
        if (taken.isEmpty() || taken.size() < missing) {
            String why = samples.isEmpty()
                    ? "no reading of the server-side series '" + series + "' was taken in this window"
                    : "only " + counts + " in this window";
            return Check.unobserved(worst == null ? Figure.value(Double.NaN) : Figure.value(worst.value().getAsDouble()),
                    why + ": the harness could not read the system's metrics often enough to tell, which says nothing"
                            + " about the system under test; check that its metrics endpoint answers and publishes the"
                            + " gauge");
        }
        return new Check(true, Figure.value(worst.value().getAsDouble()), counts + "; "
                + (bound == Bound.AT_MOST ? "highest" : "lowest") + " at " + at(worst));
    }

    private boolean keeps(double value) {
        return bound == Bound.AT_MOST ? value <= threshold : value >= threshold;
    }

    private static String at(ServerSample sample) {
        return String.format(Locale.ROOT, "%.1f s", sample.at().toNanos() / 1e9);
    }
}
