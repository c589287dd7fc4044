package dev.gameday.demo.cache;

import dev.gameday.demo.config.RedisConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.params.SetParams;

/**
 * The order cache in Redis ({@code order:<id>} → order JSON), behind the {@code redis} circuit breaker.
 *
 * <p>A cache failure never fails a request: a lookup reports {@link CacheLookup.Outcome#BYPASS} and a write is
 * skipped. With the {@code no-redis-timeout} flaw the client waits forever and the breaker is disabled, so a
 * frozen Redis holds request threads instead.
 *
 * <p>Jedis 7 deprecates {@link JedisPool} in favour of {@code RedisClient}; it is kept here on purpose because its
 * borrow/return model makes the pool's behaviour explicit (bounded borrow wait, a connection that threw is
 * destroyed on return, active/idle/waiting gauges), which is exactly what the Redis experiments observe.
 */
@SuppressWarnings("deprecation")
public final class RedisOrderCache implements AutoCloseable {

    /** The name of the breaker, in metrics and readiness. */
    public static final String BREAKER = "redis";

    private static final Logger LOG = LoggerFactory.getLogger(RedisOrderCache.class);
    private static final String KEY_PREFIX = "order:";

    private final JedisPool pool;
    private final CircuitBreaker breaker;
    private final long ttlSeconds;
    private final Counter hits;
    private final Counter misses;
    private final Counter bypassedLookups;
    private final Counter stored;
    private final Counter bypassedWrites;

    private RedisOrderCache(JedisPool pool, CircuitBreaker breaker, long ttlSeconds, MeterRegistry registry) {
        this.pool = pool;
        this.breaker = breaker;
        this.ttlSeconds = ttlSeconds;
        this.hits = lookups(registry, "hit");
        this.misses = lookups(registry, "miss");
        this.bypassedLookups = lookups(registry, "bypass");
        this.stored = writes(registry, "stored");
        this.bypassedWrites = writes(registry, "bypass");
        Gauge.builder("demo.redis.pool.connections", pool, JedisPool::getNumActive).tag("state", "active").register(registry);
        Gauge.builder("demo.redis.pool.connections", pool, JedisPool::getNumIdle).tag("state", "idle").register(registry);
        Gauge.builder("demo.redis.pool.connections", pool, JedisPool::getNumWaiters).tag("state", "waiting").register(registry);
    }

    /**
     * A cache on a new pool; bounded by {@code config.timeout()} and the breaker, or unbounded and unguarded when
     * {@code noTimeout} (the flaw).
     */
    public static RedisOrderCache create(RedisConfig config, boolean noTimeout, CircuitBreakerRegistry breakers,
                                         MeterRegistry registry) {
        JedisPool pool = new JedisPool(RedisSettings.pool(config, noTimeout), new HostAndPort(config.host(), config.port()),
                RedisSettings.client(config, noTimeout));
        CircuitBreaker breaker = breakers.circuitBreaker(BREAKER, RedisSettings.breaker(config));
        if (noTimeout) {
            // DISABLED lets every call through and records nothing: there is, in effect, no breaker.
            breaker.transitionToDisabledState();
        }
        try {
            pool.preparePool();
        } catch (Exception unreachable) {
            LOG.warn("Redis {}:{} not reachable at start ({}); orders are served without the cache until it is",
                    config.host(), config.port(), unreachable.getMessage());
        }
        return new RedisOrderCache(pool, breaker, Math.max(1, config.cacheTtl().toSeconds()), registry);
    }

    /** The cached JSON of order {@code id}; BYPASS when the breaker is open or Redis failed. */
    public CacheLookup get(UUID id) {
        if (!breaker.tryAcquirePermission()) {
            bypassedLookups.increment();
            return CacheLookup.BYPASS;
        }
        long start = System.nanoTime();
        try (Jedis jedis = pool.getResource()) {
            byte[] json = jedis.get(key(id));
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (json == null) {
                misses.increment();
                return CacheLookup.MISS;
            }
            hits.increment();
            return CacheLookup.hit(json);
        } catch (RuntimeException failure) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            LOG.debug("Cache lookup bypassed after {} µs", (System.nanoTime() - start) / 1_000, failure);
            bypassedLookups.increment();
            return CacheLookup.BYPASS;
        }
    }

    /** Caches order {@code id} for the configured TTL, or skips it when the breaker is open or Redis fails. */
    public void put(UUID id, byte[] json) {
        store(id, json);
    }

    /**
     * Caches order {@code id} for the configured TTL and says whether it did: empty when stored, otherwise why
     * not (breaker open, or the Redis failure). Never throws for a Redis failure.
     */
    public Optional<String> store(UUID id, byte[] json) {
        if (!breaker.tryAcquirePermission()) {
            bypassedWrites.increment();
            return Optional.of("the redis circuit breaker is open");
        }
        long start = System.nanoTime();
        try (Jedis jedis = pool.getResource()) {
            jedis.set(key(id), json, SetParams.setParams().ex(ttlSeconds));
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            stored.increment();
            return Optional.empty();
        } catch (RuntimeException failure) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            LOG.debug("Cache write bypassed after {} µs", (System.nanoTime() - start) / 1_000, failure);
            bypassedWrites.increment();
            return Optional.of(describe(failure));
        }
    }

    private static String describe(RuntimeException failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = failure.getMessage();
        return root == failure || root.getMessage() == null ? String.valueOf(message) : message + ": " + root.getMessage();
    }

    /** Redis as readiness sees it: BYPASSED while the breaker is open, otherwise UP or DOWN by a PING. */
    public CacheState state() {
        if (!breaker.tryAcquirePermission()) {
            return CacheState.BYPASSED;
        }
        long start = System.nanoTime();
        try (Jedis jedis = pool.getResource()) {
            jedis.ping();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return CacheState.UP;
        } catch (RuntimeException failure) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
            return CacheState.DOWN;
        }
    }

    /** The state of the {@code redis} breaker. */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static byte[] key(UUID id) {
        return (KEY_PREFIX + id).getBytes(StandardCharsets.US_ASCII);
    }

    private static Counter lookups(MeterRegistry registry, String result) {
        return Counter.builder("demo.cache.lookups").description("Order cache lookups by result")
                .tag("result", result).register(registry);
    }

    private static Counter writes(MeterRegistry registry, String result) {
        return Counter.builder("demo.cache.writes").description("Order cache writes by result")
                .tag("result", result).register(registry);
    }
}
