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

    /** Connections are not returned to the pool on a 404 read or a failed update. */
    LEAKING_POOL("incident 7: database connection pool exhausted");

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
