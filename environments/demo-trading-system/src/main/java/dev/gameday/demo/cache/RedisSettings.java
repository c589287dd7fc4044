package dev.gameday.demo.cache;

import dev.gameday.demo.config.RedisConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * How the Redis client, its pool and its breaker are set up: bounded everywhere, or, with the
 * {@code no-redis-timeout} flaw, unbounded everywhere.
 */
final class RedisSettings {

    /** A small count window, so that a frozen Redis is detected within a handful of requests. */
    static final int BREAKER_WINDOW = 10;
    static final int BREAKER_MINIMUM_CALLS = 5;
    static final float BREAKER_FAILURE_THRESHOLD = 50f;
    static final int BREAKER_HALF_OPEN_CALLS = 3;
    /** Connections opened at start and kept ready, so the first requests after a (re)start do not pay for them. */
    static final int MIN_IDLE = 8;
    /** How often idle connections are checked, so ones left dead by a Redis restart do not wait for a request to find out. */
    static final Duration IDLE_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** No timeout at all, as Jedis (and the JDK socket) understand 0. */
    static final int INFINITE = 0;
    static final Duration WAIT_FOREVER = Duration.ofMillis(-1);

    private RedisSettings() {
    }

    static JedisClientConfig client(RedisConfig config, boolean noTimeout) {
        int timeout = noTimeout ? INFINITE : Math.toIntExact(config.timeout().toMillis());
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                // CLIENT SETINFO costs a round trip on every new connection, exactly when a recovering Redis
                // is refilling the pool; the library name in CLIENT LIST is not worth that.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .build();
    }

    static GenericObjectPoolConfig<Jedis> pool(RedisConfig config, boolean noTimeout) {
        GenericObjectPoolConfig<Jedis> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(Math.min(MIN_IDLE, config.poolSize()));
        pool.setBlockWhenExhausted(true);
        // Borrowing waits no longer than a command may take; a connection that threw is closed on return
        // (Jedis marks it broken), so no PING on borrow is needed to keep broken connections out.
        pool.setMaxWait(noTimeout ? WAIT_FOREVER : config.timeout());
        pool.setTestOnBorrow(false);
        pool.setTestOnReturn(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(IDLE_CHECK_INTERVAL);
        pool.setJmxEnabled(false);
        return pool;
    }

    static CircuitBreakerConfig breaker(RedisConfig config) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(BREAKER_WINDOW)
                .minimumNumberOfCalls(BREAKER_MINIMUM_CALLS)
                .failureRateThreshold(BREAKER_FAILURE_THRESHOLD)
                .waitDurationInOpenState(config.breakerOpenDuration())
                .permittedNumberOfCallsInHalfOpenState(BREAKER_HALF_OPEN_CALLS)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .writableStackTraceEnabled(false)
                .build();
    }
}
