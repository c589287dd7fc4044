package dev.gameday.environments.demo;

import java.util.Arrays;
import java.util.Locale;

/**
 * A deliberate bug the demo trading system can be started with, reproducing the bug behind a runbook incident.
 * Each experiment's negative control runs against a flawed system and must fail.
 */
public enum Flaw {
    /** Redis calls have no timeout and no breaker: a hung Redis hangs every request thread (incidents 2 and 3). */
    NO_REDIS_TIMEOUT,
    /** The exchange breaker opens but never half-opens: orders stay unrouted after the exchange heals (incident 5). */
    BREAKER_NEVER_HALF_OPENS,
    /** An in-process cache of every order that is never evicted: the heap grows until OOM (incidents 9 and 1). */
    LEAKING_CACHE,
    /** Some error paths never return their database connection: the pool drains (incident 7). */
    LEAKING_POOL;

    /** The name the demo system reads from {@code DEMO_FLAWS}, for example {@code no-redis-timeout}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The flaw with this config name, or an error listing the known ones. */
    public static Flaw fromConfigName(String name) {
        return Arrays.stream(values()).filter(f -> f.configName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown flaw '" + name + "'; known flaws are "
                        + Arrays.stream(values()).map(Flaw::configName).toList() + "."));
    }
}
