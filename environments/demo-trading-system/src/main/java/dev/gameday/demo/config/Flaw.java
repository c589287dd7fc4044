package dev.gameday.demo.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A deliberate bug that can be switched on with {@code DEMO_FLAWS} to reproduce an incident from the catalogue.
 *
 * <p>Each flaw changes real behaviour (a missing timeout, a leaked connection, an unbounded map), never a
 * canned error. Example: {@code DEMO_FLAWS=no-redis-timeout,leaking-pool}.
 */
public enum Flaw {

    /** Redis calls have no socket timeout and no circuit breaker; hung calls exhaust the thread pool (incident 3). */
    NO_REDIS_TIMEOUT("no-redis-timeout", "incident 3: thread pool exhausted by calls to a hung Redis"),

    /** The exchange breaker opens but never half-opens, so orders stay PENDING_ROUTE (incident 5). */
    BREAKER_NEVER_HALF_OPENS("breaker-never-half-opens", "incident 5: circuit breaker stuck open"),

    /** An in-process "hot orders" cache that is never evicted; the heap grows until OOM (incidents 9 and 1). */
    LEAKING_CACHE("leaking-cache", "incidents 9 and 1: memory leak until out of memory"),

    /** Connections are not returned to the pool on a 404 read or a failed update (incident 7). */
    LEAKING_POOL("leaking-pool", "incident 7: database connection pool exhausted");

    private final String id;
    private final String reproduces;

    Flaw(String id, String reproduces) {
        this.id = id;
        this.reproduces = reproduces;
    }

    /** The name used in {@code DEMO_FLAWS}, in metrics and in health output. */
    public String id() {
        return id;
    }

    /** The incident this flaw reproduces, for logs and documentation. */
    public String reproduces() {
        return reproduces;
    }

    /** The flaw with this {@link #id()}, if any. */
    public static Optional<Flaw> byId(String id) {
        return Arrays.stream(values()).filter(flaw -> flaw.id.equals(id)).findFirst();
    }

    /** Every flaw's id, comma-separated, for error messages. */
    public static String knownIds() {
        return Arrays.stream(values()).map(Flaw::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
