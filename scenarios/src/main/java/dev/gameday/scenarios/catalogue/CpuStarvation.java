package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.DockerFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 10, CPU starvation: under steady order traffic, the service's container is throttled to 0.3 CPUs for
 * 20 s through the Docker API (its CPU quota, read back from Docker and the cgroup), then gets its CPU back.
 *
 * <p>Recovered means: latency stays inside the runbooks' degraded objective (p95 under 2 s) and requests keep
 * succeeding while throttled (no cascade of timeouts), latency is normal within 15 s of the throttle's end, and no
 * acknowledged order is lost. The healthy demo's p95 rose to about 470 ms when throttled here, past the 500 ms
 * warning threshold's comfort, so the degraded objective is the bound. The negative control runs against the demo
 * with {@code expensive-request-path}, which spends milliseconds of CPU per order: throttled, it queues, and the
 * fault phase's latency objective must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(CpuStarvation.against(Set.of()));
 * }</pre>
 */
public final class CpuStarvation {

    public static final String NAME = "cpu-starvation";
    /** The CPUs the service keeps while throttled. */
    public static final double THROTTLED_CPUS = 0.3;

    private CpuStarvation() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The service is throttled to 0.3 CPUs for 20 s under steady order traffic,"
                        + " then gets its CPU back")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("api", api -> DockerFaults.cpuThrottle(api, THROTTLED_CPUS)),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.FAULT, Criteria.latency().p95().below(ofMillis(2_000)), Runbook.NORMAL_SUCCESS)
                        .recoversWithin(ofSeconds(15), Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.AFTER, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
