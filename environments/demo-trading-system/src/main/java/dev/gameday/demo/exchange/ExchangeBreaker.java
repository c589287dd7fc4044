package dev.gameday.demo.exchange;

import dev.gameday.demo.config.ExchangeConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;

/**
 * The configuration of the {@code exchange} circuit breaker: the runbooks' typical breaker, or, with the
 * {@code breaker-never-half-opens} flaw, one that stays open.
 */
public final class ExchangeBreaker {

    /** The breaker judges the last this many calls. */
    public static final int WINDOW = 20;
    /** It judges nothing before this many calls. */
    public static final int MINIMUM_CALLS = 5;
    /** What "never" means for the flawed breaker: longer than any game day, short enough not to overflow an Instant. */
    static final Duration NEVER = Duration.ofDays(36_500);

    private ExchangeBreaker() {
    }

    /** The breaker configuration for {@code config}, reading time from the system clock. */
    public static CircuitBreakerConfig config(ExchangeConfig config, boolean neverHalfOpens) {
        return config(config, neverHalfOpens, Clock.systemUTC());
    }

    /** The breaker configuration for {@code config}, reading time from {@code clock} (tests move it by hand). */
    public static CircuitBreakerConfig config(ExchangeConfig config, boolean neverHalfOpens, Clock clock) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MINIMUM_CALLS)
                .failureRateThreshold(config.breakerFailureThreshold())
                .permittedNumberOfCallsInHalfOpenState(config.breakerHalfOpenCalls())
                // The flaw as it is usually written: the open duration set to "forever" by a misread unit, and no
                // timer to leave the open state, so nothing ever lets a probe call through.
                .waitDurationInOpenState(neverHalfOpens ? NEVER : config.breakerOpenDuration())
                .automaticTransitionFromOpenToHalfOpenEnabled(!neverHalfOpens)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
    }
}
