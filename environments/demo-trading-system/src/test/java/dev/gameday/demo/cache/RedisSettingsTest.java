package dev.gameday.demo.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.config.RedisConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

class RedisSettingsTest {

    private static final RedisConfig CONFIG = new RedisConfig("localhost", 6379, Duration.ofMillis(50), 32,
            Duration.ofMinutes(5), Duration.ofSeconds(2));

    @Test
    void boundsEveryRedisCallByTheConfiguredTimeout() {
        JedisClientConfig client = RedisSettings.client(CONFIG, false);
        GenericObjectPoolConfig<Jedis> pool = RedisSettings.pool(CONFIG, false);

        assertThat(client.getConnectionTimeoutMillis()).isEqualTo(50);
        assertThat(client.getSocketTimeoutMillis()).isEqualTo(50);
        assertThat(pool.getMaxWaitDuration()).as("longest wait for a pooled connection").isEqualTo(Duration.ofMillis(50));
        assertThat(pool.getTestOnBorrow()).isFalse();
        assertThat(pool.getMaxTotal()).isEqualTo(32);
    }

    @Test
    void skipsClientSetInfoRoundTripOnNewConnections() {
        assertThat(RedisSettings.client(CONFIG, false).getClientSetInfoConfig().isDisabled()).isTrue();
    }

    @Test
    void noRedisTimeoutFlawWaitsForeverEverywhere() {
        JedisClientConfig client = RedisSettings.client(CONFIG, true);
        GenericObjectPoolConfig<Jedis> pool = RedisSettings.pool(CONFIG, true);

        assertThat(client.getSocketTimeoutMillis()).as("socket timeout (0 means infinite)").isZero();
        assertThat(client.getConnectionTimeoutMillis()).as("connect timeout (0 means infinite)").isZero();
        assertThat(pool.getMaxWaitDuration().isNegative()).as("pool waits forever for a connection").isTrue();
        assertThat(pool.getBlockWhenExhausted()).isTrue();
    }

    @Test
    void redisBreakerHalfOpensByItselfAfterTheOpenDuration() {
        assertThat(RedisSettings.breaker(CONFIG).isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
        assertThat(RedisSettings.breaker(CONFIG).getFailureRateThreshold()).isEqualTo(50f);
    }

    @Test
    void noRedisTimeoutFlawDisablesTheBreaker() {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        try (RedisOrderCache healthy = RedisOrderCache.create(CONFIG, false, breakers, new SimpleMeterRegistry())) {
            assertThat(healthy.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
        try (RedisOrderCache flawed = RedisOrderCache.create(CONFIG, true, CircuitBreakerRegistry.ofDefaults(),
                new SimpleMeterRegistry())) {
            assertThat(flawed.breakerState()).as("breaker of the no-redis-timeout flaw").isEqualTo(CircuitBreaker.State.DISABLED);
        }
    }
}
