package dev.gameday.assertions;

import dev.gameday.timeline.ServerSample;
import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The floor of a server-side series grows by at most this much per minute in the window: a memory leak under constant
 * load, seen before it becomes an outage (incident 9). A garbage-collected heap rises and falls with every collection;
 * what a leak adds is the level it falls back to. So the window is cut into {@link #BUCKET} slices, the lowest reading
 * of each is its floor, and the growth is the least-squares slope of those floors, per minute.
 *
 * <p>It needs at least {@link #MINIMUM_WINDOW} of readings: a phase shorter than that is refused before the run
 * starts (see {@link ObjectiveSet#minimumLength}), and a window in which fewer readings could be taken is unresolved,
 * never violated. Readings the harness could not take are missing, never the system's failure.
 *
 * <pre>{@code
 * ObjectiveSet objectives = ObjectiveSet.builder()
 *         .during(Phase.BASELINE, Criteria.serverMetric("heap").growthPerMinute().atMost(32e6))   // bytes a minute
 *         .build();
 * }</pre>
 *
 * @param series    the name the experiment declares the series under, for example {@code heap}
 * @param perMinute the most the floor may grow in a minute, in the unit the system publishes the series in
 */
public record ServerMetricGrowthCriterion(String series, double perMinute) implements Criterion {

    /** The slice of the window whose lowest reading is one floor. */
    public static final Duration BUCKET = Duration.ofSeconds(5);
    /** The least window a growth can be judged over: four floors. */
    public static final Duration MINIMUM_WINDOW = BUCKET.multipliedBy(4);

    public ServerMetricGrowthCriterion {
        if (series == null || series.isBlank()) {
            throw new IllegalArgumentException("Server metric growth criterion: name the server-side series the"
                    + " experiment scrapes, for example Criteria.serverMetric(\"heap\").growthPerMinute().atMost(32e6),"
                    + " but was '" + series + "'.");
        }
        if (!Double.isFinite(perMinute) || perMinute < 0) {
            throw new IllegalArgumentException("Server metric growth criterion '" + series + "': the growth a minute"
                    + " must be a finite number of at least 0, but was " + perMinute + ".");
        }
    }

    @Override
    public String describe() {
        return "server " + series + " growth " + expected();
    }

    @Override
    public String expected() {
        return "<= " + Figure.valuePerMinute(perMinute);
    }

    @Override
    public Check check(Window window) {
        List<ServerSample> samples = window.serverSamples(series);
        List<ServerSample> taken = samples.stream().filter(s -> !s.isMissing()).toList();
        long missing = samples.size() - taken.size();
        List<double[]> floors = floors(taken, window.from());
        String counts = taken.size() + " reading" + (taken.size() == 1 ? "" : "s") + " of '" + series + "'"
                + (missing == 0 ? "" : ", " + missing + " that could not be taken");
        if (floors.size() < MINIMUM_WINDOW.dividedBy(BUCKET) || taken.size() < missing) {
            return Check.unobserved(Figure.valuePerMinute(Double.NaN), "only " + counts + " in " + floors.size()
                    + " slice" + (floors.size() == 1 ? "" : "s") + " of " + BUCKET.toSeconds() + " s: a growth needs"
                    + " readings in at least " + MINIMUM_WINDOW.dividedBy(BUCKET) + " slices ("
                    + MINIMUM_WINDOW.toSeconds() + " s); the harness could not read the system's metrics often"
                    + " enough to tell, which says nothing about the system under test");
        }
        double growth = slopePerSecond(floors) * 60;
        String detail = String.format(Locale.ROOT, "floor (lowest reading of each %d s) from %s at %.1f s to %s at"
                        + " %.1f s, %d floors, %s", BUCKET.toSeconds(), Figure.value(floors.get(0)[1]).number(),
                floors.get(0)[0], Figure.value(floors.get(floors.size() - 1)[1]).number(),
                floors.get(floors.size() - 1)[0], floors.size(), counts);
        return new Check(growth <= perMinute, Figure.valuePerMinute(growth), detail);
    }

    /** The lowest reading of each {@link #BUCKET} from {@code from}, as (seconds, value); empty slices left out. */
    static List<double[]> floors(List<ServerSample> taken, Duration from) {
        List<double[]> floors = new ArrayList<>();
        long bucketNanos = BUCKET.toNanos();
        long current = Long.MIN_VALUE;
        double[] floor = null;
        for (ServerSample sample : taken) {
            long bucket = Math.floorDiv(sample.at().minus(from).toNanos(), bucketNanos);
            double value = sample.value().getAsDouble();
            double at = sample.at().toNanos() / 1e9;
            if (bucket != current) {
                current = bucket;
                floor = new double[] {at, value};
                floors.add(floor);
            } else if (value < floor[1]) {
                floor[0] = at;
                floor[1] = value;
            }
        }
        return floors;
    }

    /** The least-squares slope of (seconds, value) points, per second. */
    static double slopePerSecond(List<double[]> points) {
        double meanT = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double meanV = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (double[] point : points) {
            covariance += (point[0] - meanT) * (point[1] - meanV);
            variance += (point[0] - meanT) * (point[0] - meanT);
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
