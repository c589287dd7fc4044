package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.demo.Flaw;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 4, a network partition between the service and PostgreSQL: for 15 s no data passes between them in
 * either direction (connections stay open, nothing arrives), then the network heals.
 *
 * <p>Writes cannot succeed while the database is unreachable, so the fault phase is judged on the runbooks' "fail
 * fast, no pile-up": p95 latency stays under the 2 s degradation threshold (reads keep being served from the
 * cache). Recovered means: the service heals by itself, latency and errors normal within 15 s of the heal, and no
 * acknowledged order is lost. The negative control runs against the demo with {@code no-database-timeout}, whose
 * calls hang on the partition; the fault phase's latency objective must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(PostgresPartition.against(Set.of()));
 * }</pre>
 */
public final class PostgresPartition {

    public static final String NAME = "postgres-partition";

    private PostgresPartition() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "No data passes between the service and PostgreSQL for 15 s under steady order"
                        + " traffic, then the network heals")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("postgres", NetworkFaults::partition),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(15)).observe(ofSeconds(30)))
                .then(Runbook.failsFast(ofMillis(2_000), ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
