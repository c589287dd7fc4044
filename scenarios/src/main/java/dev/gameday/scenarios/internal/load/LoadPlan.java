package dev.gameday.scenarios.internal.load;

import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineRecorder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Everything one Gatling run needs, handed to {@link GamedaySimulation}, which Gatling instantiates by class name.
 *
 * @param baseUri        where requests go
 * @param requests       the traffic mix
 * @param series         one recorder per request, in the same order
 * @param ratePerSecond  total arrival rate
 * @param warmup         how long the rate ramps up to {@code ratePerSecond}, from {@link OpenLoad#WARMUP_START_SHARE}
 * @param duration       how long requests keep arriving, warmup included
 * @param requestTimeout when a request without an answer is given up
 * @param recorder       the experiment's timeline
 * @param ledger         acknowledged writes
 * @param onStart        runs once, as the first request starts: starts the clock and the fault schedule
 * @param stop           where present, set (to why) to stop the load before its planned end: the load generator
 *                       stops at the next request due, and requests in flight are abandoned; empty for a run that
 *                       always runs to its end (its requests then carry no stop check)
 */
public record LoadPlan(URI baseUri, List<TrafficRequest> requests, List<SeriesRecorder> series, double ratePerSecond,
                       Duration warmup, Duration duration, Duration requestTimeout, TimelineRecorder recorder, WriteLedger ledger,
                       Consumer<LoadPlan> onStart, Optional<AtomicReference<String>> stop) {

    /** A plan that runs to its planned end. */
    public LoadPlan(URI baseUri, List<TrafficRequest> requests, List<SeriesRecorder> series, double ratePerSecond,
                    Duration warmup, Duration duration, Duration requestTimeout, TimelineRecorder recorder,
                    WriteLedger ledger, Consumer<LoadPlan> onStart) {
        this(baseUri, requests, series, ratePerSecond, warmup, duration, requestTimeout, recorder, ledger, onStart,
                Optional.empty());
    }

    public LoadPlan {
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(baseUri, "baseUri");
        requests = List.copyOf(requests);
        series = List.copyOf(series);
        if (requests.size() != series.size()) {
            throw new IllegalArgumentException("Load plan: one series recorder per request, but got " + series.size()
                    + " for " + requests.size() + " requests.");
        }
        if (warmup.isNegative() || warmup.compareTo(duration) > 0) {
            throw new IllegalArgumentException("Load plan: the warmup (" + warmup + ") must lie within the load (" + duration
                    + ").");
        }
        double shares = requests.stream().mapToDouble(TrafficRequest::share).sum();
        if (Math.abs(shares - 1.0) > 1e-6) {
            throw new IllegalArgumentException("Traffic: the requests' shares must add up to 1, but add up to " + shares
                    + " (" + requests.stream().map(r -> r.series() + " " + r.share()).toList() + ").");
        }
    }

    /** The load as the timeline records it, to check later that the injector really offered it. */
    public OfferedLoad offered() {
        return OfferedLoad.rampThenConstant(startRate(), ratePerSecond, warmup, duration);
    }

    /** The rate the warmup's ramp starts from. */
    public double startRate() {
        return ratePerSecond * OpenLoad.WARMUP_START_SHARE;
    }
}
