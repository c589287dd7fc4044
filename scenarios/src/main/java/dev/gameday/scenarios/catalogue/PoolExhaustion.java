package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.PostgresFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 7, the database connection pool exhausted: under steady order traffic, every connection slot PostgreSQL
 * has is held idle in a transaction for 15 s (through its own protocol, visible in {@code pg_stat_activity}) and
 * the service's idle connections are ended, so its pool cannot refill: "too many connections".
 *
 * <p>Writes cannot succeed while the pool is starved, so the fault phase is judged on failing fast: p95 latency
 * inside the degraded bound (a clear 503 after the pool's own timeout, reads still served from the cache).
 * Recovered means: the pool refills by itself once the slots are free, latency and errors normal within 15 s, and no
 * acknowledged order is lost. The negative control runs against the demo with {@code leaking-pool}, which never
 * returns a connection whose statement failed: the pool stays exhausted after the fault, and recovery must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(PoolExhaustion.against(Set.of()));
 * }</pre>
 */
public final class PoolExhaustion {

    public static final String NAME = "pool-exhaustion";

    private PoolExhaustion() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "Every PostgreSQL connection slot is held for 15 s under steady order traffic,"
                        + " then released")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("postgres", PostgresFaults::holdConnections),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(15)).observe(ofSeconds(30)))
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.FAULT, Runbook.DEGRADED_LATENCY)
                        .recoversWithin(ofSeconds(15), Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.AFTER, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
