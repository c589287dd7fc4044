package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 2, Redis connection timeouts: under steady order traffic, Redis stops answering (connections accepted,
 * nothing comes back) for 20 seconds, then heals.
 *
 * <p>Recovered means: requests keep succeeding while Redis hangs (the cache is bypassed) within the degraded
 * latency bound, latency and errors are back inside the normal objectives within 15 s of the heal, and no
 * acknowledged order is lost. The negative control runs the same experiment against the demo system with the
 * {@code no-redis-timeout} flaw, whose request threads hang on Redis; it must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(RedisTimeouts.experiment());
 * }</pre>
 */
public final class RedisTimeouts {

    public static final String NAME = "redis-timeouts";

    private RedisTimeouts() {
    }

    /** Against the healthy demo system: must pass. */
    public static Experiment experiment() {
        return against(Set.of());
    }

    /** Against the demo system whose Redis calls have no timeout: must fail. */
    public static Experiment negativeControl() {
        return Catalogue.find(NAME).orElseThrow().negativeControl();
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "Redis stops answering for 20 s under steady order traffic, then heals")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("redis", NetworkFaults::timeout),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.FAULT, Runbook.DEGRADED_LATENCY, Runbook.NORMAL_SUCCESS)
                        .recoversWithin(ofSeconds(15), Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .during(Phase.AFTER, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
