package dev.gameday.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A deliberate bug the demo trading system can be started with, reproducing the bug behind a runbook incident
 * (numbered as in INCIDENTS.md). Each experiment's negative control runs against a flawed system and must fail.
 *
 * <p>This is the one definition of the flaws: the service reads them from {@code DEMO_FLAWS}, and the harness starts
 * the service with them ({@code DemoTradingSystem.builder().withFlaws(Flaw.NO_REDIS_TIMEOUT)}). Each flaw changes
 * real behaviour (a missing timeout, a leaked connection, an unbounded map), never a canned error.
 *
 * <pre>{@code
 * Flaw flaw = Flaw.fromId("no-redis-timeout");   // DEMO_FLAWS=no-redis-timeout,leaking-pool
 * }</pre>
 */
public enum Flaw {

    /** Redis calls have no socket timeout and no circuit breaker; hung calls exhaust the request threads. */
    NO_REDIS_TIMEOUT("incidents 2 and 3: Redis timeouts, a hung Redis exhausts the request threads"),

    /** The exchange breaker opens but never half-opens, so orders stay PENDING_ROUTE after the exchange heals. */
    BREAKER_NEVER_HALF_OPENS("incident 5: circuit breaker stuck open"),

    /** An in-process "hot orders" cache that is never evicted; the heap grows until the process runs out of it. */
    LEAKING_CACHE("incidents 9 and 1: memory leak until out of memory"),

    /**
     * Connections are not returned to the pool when a statement fails (insert, update or read) or a read finds
     * nothing (404): each failed statement during a database fault leaks its connection for good.
     */
    LEAKING_POOL("incident 7: database connection pool exhausted"),

    /**
     * The order write path treats the Redis cache write as part of the acknowledgement: when Redis refuses or times
     * out, the (committed) order is answered with 503 instead of bypassing the cache.
     */
    CACHE_REQUIRED("incident 3 (and 2): Redis down fails order placement instead of bypassing the cache"),

    /**
     * PostgreSQL calls have no connect, socket or statement timeout and a request waits for a pooled connection
     * forever: a partition or a held lock makes requests pile up instead of failing fast with 503.
     */
    NO_DATABASE_TIMEOUT("incidents 4 and 8: partition from PostgreSQL, lock contention; calls hang instead of failing fast"),

    /** The exchange call has no connect or request timeout: orders wait as long as a slow exchange takes. */
    NO_EXCHANGE_TIMEOUT("incident 6: a slow exchange drives order latency past 2 s; the breaker never sees a failure"),

    /**
     * A failed exchange call (error, timeout, or breaker open) fails the order with 502 after it was committed,
     * instead of accepting it as PENDING_ROUTE.
     */
    NO_EXCHANGE_FALLBACK("incident 6: exchange failures become client errors instead of the PENDING_ROUTE fallback"),

    /**
     * Orders are acknowledged once queued for a write-behind batch, committed to PostgreSQL about a second later:
     * a kill in between loses orders the client was told were accepted.
     */
    ACK_BEFORE_COMMIT("incident 1 (and 11): an OOM kill or restart loses acknowledged orders"),

    /**
     * The risk check recomputes the account's value-at-risk by Monte Carlo simulation on every order (a few ms of
     * CPU per order) instead of using the precomputed limit: under a CPU limit, requests queue and latency climbs.
     */
    EXPENSIVE_REQUEST_PATH("incident 10: CPU throttling drives latency past the degraded bound");

    private final String reproduces;

    Flaw(String reproduces) {
        this.reproduces = reproduces;
    }

    /** The name used in {@code DEMO_FLAWS}, on the command line, in files, metrics and health output: {@code no-redis-timeout}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The incident this flaw reproduces, as INCIDENTS.md numbers it. */
    public String reproduces() {
        return reproduces;
    }

    /** The flaw with this {@link #id()}, if any. */
    public static Optional<Flaw> byId(String id) {
        return Arrays.stream(values()).filter(flaw -> flaw.id().equals(id)).findFirst();
    }

    /** The flaw with this {@link #id()}, or an error naming the known ones. */
    public static Flaw fromId(String id) {
        return byId(id).orElseThrow(() -> new IllegalArgumentException("Unknown flaw '" + id + "'; known flaws are "
                + knownIds() + "."));
    }

    /** Every flaw's id, comma-separated, for error messages. */
    public static String knownIds() {
        return Arrays.stream(values()).map(Flaw::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
