package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.DockerFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import dev.gameday.scenarios.ServerMetric;
import java.util.Map;
import java.util.Set;

/**
 * Incident 9, memory leak: under constant order traffic, the service's heap must not climb; then a side process in
 * its container takes 128 MB of the container's memory for 20 s (the squeeze a leak, a sidecar or a neighbour
 * brings), and the service must ride it out.
 *
 * <p>The runbook asks for the leak to be caught as growth under constant load before it becomes an outage, so the
 * baseline judges the floor of the service's heap, read every second from its own metrics
 * ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools): it may grow by at most
 * {@value #HEAP_GROWTH_PER_MINUTE} bytes a minute. A garbage-collected heap rises and falls with every collection, so
 * the floor (the lowest reading of each 5 s) is judged, not the peaks. Then the usual: requests keep succeeding within
 * the degraded latency bound while squeezed, latency is normal within 15 s and after, and no acknowledged order is
 * lost. The negative control runs against the demo with {@code leaking-cache}, which keeps about 13 KB of every order
 * for good: its heap floor climbed 80 to 100 MB a minute here at the catalogue's rate, against 1 to 8 MB a minute
 * for the healthy service, and the baseline's growth objective must fail, minutes before the heap would run out.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(MemoryLeak.against(Set.of()));
 * }</pre>
 */
public final class MemoryLeak {

    public static final String NAME = "memory-leak";
    /** The service's heap, as its Micrometer registry publishes it. */
    public static final ServerMetric HEAP = ServerMetric.gauge("heap", "jvm_memory_used_bytes", Map.of("area", "heap"));
    /** The most the heap's floor may grow in a minute of constant load, in bytes. */
    public static final double HEAP_GROWTH_PER_MINUTE = 32e6;
    /** The memory the side process takes in the service's container during the fault. */
    public static final long PRESSURE_BYTES = 128L * 1024 * 1024;
    /** The heap does not climb under constant load. */
    public static final Criterion HEAP_FLAT = Criteria.serverMetric(HEAP.name()).growthPerMinute()
            .atMost(HEAP_GROWTH_PER_MINUTE);

    private MemoryLeak() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The service's heap must not climb under constant order traffic; then a side"
                        + " process takes 128 MB of its container's memory for 20 s")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("api", api -> DockerFaults.memoryPressure(api, PRESSURE_BYTES)),
                        FaultSchedule.baseline(ofSeconds(30)).fault(ofSeconds(20)).observe(ofSeconds(22)))
                .scraping(HEAP)
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS, HEAP_FLAT)
                        .during(Phase.FAULT, Runbook.DEGRADED_LATENCY, Runbook.NORMAL_SUCCESS)
                        .recoversWithin(ofSeconds(15), Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.AFTER, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
