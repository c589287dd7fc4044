package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.demo.Flaw;
import dev.gameday.faults.PostgresFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 7, the database connection pool exhausted: under steady order traffic, a session that stays idle in a
 * transaction holds an exclusive lock on the {@code orders} table for 15 s (through PostgreSQL's own protocol), so
 * every pooled connection that writes waits on it until its statement timeout, the pool runs dry, and new requests
 * get connection timeouts, as in the runbook's "connection timeouts, sessions idle in a transaction".
 *
 * <p>While the pool is starved, requests must fail fast with a clear status: p95 latency under the 2 s degradation
 * threshold. Recovered means: the pool fills again by itself once the session ends, latency and errors are normal
 * within 15 s, and no acknowledged order is lost. The negative control runs against the demo with
 * {@code leaking-pool}, which never returns a connection whose statement failed: every write that timed out on the
 * lock leaks its connection, the pool stays empty after the lock is gone, and recovery must fail. (Holding every
 * server slot from outside, {@code PostgresFaults.holdConnections}, starves new connections but not a pool whose
 * connections are already open, so it cannot tell a leaking pool from a healthy one.)
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
        return Experiment.named(NAME, "A session idle in a transaction holds the orders table for 15 s under steady"
                        + " order traffic, until the connection pool runs dry; then it ends")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("postgres", postgres -> PostgresFaults.lockTable(postgres, OrdersTable.TABLE)),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(15)).observe(ofSeconds(30)))
                .then(Runbook.failsFast(ofMillis(2_000), ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
