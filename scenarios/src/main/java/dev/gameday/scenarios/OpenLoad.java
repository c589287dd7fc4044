package dev.gameday.scenarios;

import java.time.Duration;
import java.util.Objects;

/**
 * An open workload model: requests arrive at a fixed rate whether or not earlier ones were answered, as they do from
 * real users. A closed model (a fixed number of users waiting for each answer) slows down with the system under
 * test and hides its latency (coordinated omission); an open model does not.
 *
 * <p>During the warmup the rate ramps up linearly from {@link #WARMUP_START_SHARE} of the full rate: full load on a
 * cold JVM trips timeouts and breakers that then stay open into the baseline, which is then no baseline at all.
 *
 * <pre>{@code
 * OpenLoad load = OpenLoad.ratePerSecond(200).withWarmup(Duration.ofSeconds(10));
 * }</pre>
 *
 * @param ratePerSecond  requests started per second, all series together
 * @param warmup         leading time that is not assessed
 * @param requestTimeout after this, a request without an answer counts as {@code NO_RESPONSE}
 */
public record OpenLoad(double ratePerSecond, Duration warmup, Duration requestTimeout) {

    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);
    /** The warmup's ramp starts at this share of the full rate. */
    public static final double WARMUP_START_SHARE = 0.1;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** Past this, one in-process injector on a small machine cannot be trusted; use several injectors instead. */
    public static final double MAX_RATE_PER_SECOND = 20_000;

    public OpenLoad {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
            throw new IllegalArgumentException("Load: rate must be > 0 and <= " + (long) MAX_RATE_PER_SECOND
                    + " requests/s, but was " + ratePerSecond + ". Use OpenLoad.ratePerSecond(200).");
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("Load: warmup must be >= 0, but was " + warmup + ".");
        }
        if (requestTimeout.compareTo(Duration.ofMillis(100)) < 0 || requestTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new IllegalArgumentException("Load: request timeout must be between 100 ms and 2 min, but was "
                    + requestTimeout + ".");
        }
    }

    public static OpenLoad ratePerSecond(double rate) {
        return new OpenLoad(rate, DEFAULT_WARMUP, DEFAULT_REQUEST_TIMEOUT);
    }

    public OpenLoad withWarmup(Duration newWarmup) {
        return new OpenLoad(ratePerSecond, newWarmup, requestTimeout);
    }

    public OpenLoad withRequestTimeout(Duration timeout) {
        return new OpenLoad(ratePerSecond, warmup, timeout);
    }

    public OpenLoad withRate(double rate) {
        return new OpenLoad(rate, warmup, requestTimeout);
    }
}
