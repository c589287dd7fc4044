package dev.gameday.faults;

import dev.gameday.faults.Disruption.Observation;

/**
 * A user's own way of confirming a fault: a request on a chosen route with an expected answer, a query of the
 * system's metrics, a look at a log. Added to a fault with {@link Fault#confirmedBy(String, Check)}, it must show the
 * effect too before the fault counts as active, and its absence before the revert counts as verified.
 *
 * <pre>{@code
 * Fault frozen = DockerFaults.pause(redis).confirmedBy("GET /orders/42 answers from PostgreSQL",
 *         () -> cacheMissesRising() ? Observation.inEffect("cache misses rising") : Observation.notInEffect("hits"));
 * }</pre>
 */
@FunctionalInterface
public interface Check {

    /** Looks once; returns {@link Observation#inconclusive} when what it saw shows neither. */
    Observation observe() throws Exception;
}
