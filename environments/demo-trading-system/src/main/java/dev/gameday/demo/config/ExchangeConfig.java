package dev.gameday.demo.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the service reaches the exchange upstream, and when its circuit breaker opens.
 *
 * @param url the base URL of the exchange API
 * @param timeout the bound of one order placement call
 * @param breakerFailureThreshold the failure rate, in percent, that opens the breaker
 * @param breakerOpenDuration how long the breaker stays open before half-opening
 * @param breakerHalfOpenCalls how many probe calls the half-open breaker lets through
 */
public record ExchangeConfig(URI url, Duration timeout, float breakerFailureThreshold, Duration breakerOpenDuration,
                             int breakerHalfOpenCalls) {

    public static final URI DEFAULT_URL = URI.create("http://exchange:8080");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final float DEFAULT_BREAKER_FAILURE_THRESHOLD = 50f;
    /** The runbooks' typical recovery timeout. */
    public static final Duration DEFAULT_BREAKER_OPEN_DURATION = Duration.ofSeconds(60);
    public static final int DEFAULT_BREAKER_HALF_OPEN_CALLS = 3;

    public ExchangeConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(breakerOpenDuration, "breakerOpenDuration");
    }
}
