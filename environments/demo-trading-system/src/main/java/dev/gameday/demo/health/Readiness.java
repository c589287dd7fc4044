package dev.gameday.demo.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gameday.demo.cache.CacheState;
import dev.gameday.demo.cache.RedisOrderCache;
import dev.gameday.demo.database.Database;
import dev.gameday.demo.exchange.ExchangeClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Readiness that reflects the real state of the dependencies, checked at most once per {@link #CACHE_FOR}.
 *
 * <p>Only the database is a hard dependency: without it no order can be acknowledged, so the instance is not
 * ready. Redis and the exchange are soft: the service degrades (cache bypassed, orders PENDING_ROUTE) and keeps
 * serving. Failing readiness on a soft dependency would take every replica out of the load balancer at once,
 * since they all share that dependency, turning a degraded service into an outage (incident 12).
 */
public final class Readiness {

    /** How long a result is reused, so that probes from many sources do not hammer the database. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(1);

    private static final JsonFactory JSON = new JsonFactory();

    private final Database database;
    private final RedisOrderCache cache;
    private final ExchangeClient exchange;
    private final LongSupplier nanoTime;
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Report last;

    public Readiness(Database database, RedisOrderCache cache, ExchangeClient exchange, LongSupplier nanoTime) {
        this.database = database;
        this.cache = cache;
        this.exchange = exchange;
        this.nanoTime = nanoTime;
    }

    /** The outcome of one check: ready or not, and the JSON that explains it. */
    public record Report(boolean ready, byte[] json, long checkedAt) {
    }

    /** The latest report, checked again when it is older than {@link #CACHE_FOR}. */
    public Report current() {
        Report report = last;
        if (report != null && !stale(report)) {
            return report;
        }
        // One caller checks; the others keep answering with the previous report rather than queueing behind it.
        if (report != null && !checking.tryLock()) {
            return report;
        }
        if (report == null) {
            checking.lock();
        }
        try {
            report = last;
            if (report == null || stale(report)) {
                report = check();
                last = report;
            }
            return report;
        } finally {
            checking.unlock();
        }
    }

    private boolean stale(Report report) {
        return nanoTime.getAsLong() - report.checkedAt() >= CACHE_FOR.toNanos();
    }

    private Report check() {
        Optional<String> databaseProblem = database.problem();
        CacheState redis = cache.state();
        Database.PoolState pool = database.poolState();
        boolean ready = databaseProblem.isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("status", ready ? "READY" : "NOT_READY");
            json.writeObjectFieldStart("dependencies");
            json.writeObjectFieldStart("database");
            json.writeStringField("state", ready ? "UP" : "DOWN");
            json.writeBooleanField("hard", true);
            if (databaseProblem.isPresent()) {
                json.writeStringField("detail", databaseProblem.get());
            }
            json.writeObjectFieldStart("pool");
            json.writeNumberField("active", pool.active());
            json.writeNumberField("idle", pool.idle());
            json.writeNumberField("waiting", pool.waiting());
            json.writeEndObject();
            json.writeEndObject();
            json.writeObjectFieldStart("redis");
            json.writeStringField("state", redis.name());
            json.writeBooleanField("hard", false);
            json.writeStringField("breaker", cache.breakerState().name());
            json.writeEndObject();
            json.writeObjectFieldStart("exchange");
            json.writeStringField("state", exchange.breakerState().name());
            json.writeBooleanField("hard", false);
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException impossibleInMemory) {
            throw new UncheckedIOException(impossibleInMemory);
        }
        return new Report(ready, out.toByteArray(), nanoTime.getAsLong());
    }
}
