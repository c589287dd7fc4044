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
 * Incident 8, lock contention: under steady order traffic, a session holds an exclusive lock on the {@code orders}
 * table for 15 s (through PostgreSQL's own protocol, visible in {@code pg_locks}), so every write waits on it.
 *
 * <p>Recovered means: waits are bounded by the service's statement and pool timeouts, so p95 latency stays under
 * 2.5 s (the 2 s statement timeout plus margin; the runbook's incident is "API > 5 s"), latency and errors are normal
 * within 15 s of the lock's release, and no acknowledged order is lost. The negative control runs against the demo
 * with {@code no-database-timeout}, whose writes wait out the whole lock; the fault phase's latency objective must
 * fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(LockContention.against(Set.of()));
 * }</pre>
 */
public final class LockContention {

    public static final String NAME = "lock-contention";

    private LockContention() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The orders table is locked exclusively for 15 s under steady order traffic,"
                        + " then released")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("postgres", postgres -> PostgresFaults.lockTable(postgres, OrdersTable.TABLE)),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(15)).observe(ofSeconds(30)))
                .then(Runbook.failsFast(ofMillis(2_500), ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
