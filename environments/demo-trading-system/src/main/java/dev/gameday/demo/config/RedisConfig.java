package dev.gameday.demo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the service reaches Redis, the order cache.
 *
 * @param host the Redis host
 * @param port the Redis port
 * @param timeout the connect and command timeout
 * @param poolSize the number of pooled connections
 * @param cacheTtl how long a cached order lives
 * @param breakerOpenDuration how long the redis breaker stays open before probing again
 */
public record RedisConfig(String host, int port, Duration timeout, int poolSize, Duration cacheTtl,
                          Duration breakerOpenDuration) {

    public static final String DEFAULT_HOST = "redis";
    public static final int DEFAULT_PORT = 6379;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    public static final int DEFAULT_POOL_SIZE = 32;
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_BREAKER_OPEN_DURATION = Duration.ofSeconds(2);

    public RedisConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(breakerOpenDuration, "breakerOpenDuration");
    }
}
