package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.demo.Flaw;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 3, Redis down: under steady order traffic, Redis refuses connections for 20 s (its Toxiproxy proxy is
 * disabled: "connection refused", open connections closed), then comes back.
 *
 * <p>Recovered means: requests keep succeeding with the cache bypassed, within the degraded latency bound, latency
 * and errors are normal within 15 s of Redis's return, and no acknowledged order is lost. The negative control runs
 * against the demo with {@code cache-required}, which fails an order when its cache write fails; it must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(RedisDown.against(Set.of()));
 * }</pre>
 */
public final class RedisDown {

    public static final String NAME = "redis-down";

    private RedisDown() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "Redis refuses connections for 20 s under steady order traffic, then returns")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("redis", NetworkFaults::proxyDown),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(Runbook.ridesOut(ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
