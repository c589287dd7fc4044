package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

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
 * <p>Recovered means: latency stays inside the degraded bound and requests keep succeeding while throttled (no
 * cascade of timeouts), latency is normal within 15 s of the throttle's end, and no acknowledged order is lost. The
 * negative control runs against the demo with {@code expensive-request-path}, which spends milliseconds of CPU per
 * order: throttled, it queues, and the fault phase's latency objective must fail.
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
                .then(Runbook.ridesOut(ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
