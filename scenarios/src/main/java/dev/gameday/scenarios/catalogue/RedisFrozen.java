package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.demo.Flaw;
import dev.gameday.faults.DockerFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 3, Redis frozen: under steady order traffic, the Redis process is frozen (its container paused through
 * the Docker API) for 20 s: its port still accepts connections, but nothing is answered, as in a hung server. The
 * freeze is verified from Docker's own state (paused) and with a Redis PING that goes unanswered over a connection
 * that opens.
 *
 * <p>Recovered means what it means for a Redis timeout: requests keep succeeding (the cache is bypassed) within the
 * degraded latency bound, no thread pool is exhausted by hung calls, latency and errors are back to normal within
 * 20 s of the thaw, and no acknowledged order is lost. The negative control runs against the demo system with the
 * {@code no-redis-timeout} flaw, whose request threads hang on the frozen Redis; it must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(RedisFrozen.against(Set.of()));
 * }</pre>
 */
public final class RedisFrozen {

    public static final String NAME = "redis-frozen";

    private RedisFrozen() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The Redis process is frozen for 20 s (port open, nothing answered) under steady"
                        + " order traffic, then thaws")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("redis", DockerFaults::pause),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(Runbook.ridesOut(ofSeconds(20)))
                .verifyingDurability(new OrdersTable());
    }
}
