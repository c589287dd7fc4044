package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import dev.gameday.scenarios.OpenLoad;
import java.time.Duration;
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
    /** The runbooks' normal objectives. */
    public static final Criterion NORMAL_LATENCY = Criteria.latency().p95().below(ofMillis(100));
    public static final Criterion NORMAL_SUCCESS = Criteria.successRate().above(99.5);
    /** While a dependency is degraded, latency may rise to the runbooks' warning threshold, not beyond. */
    public static final Criterion DEGRADED_LATENCY = Criteria.latency().p95().below(ofMillis(500));
    public static final double RATE_PER_SECOND = 200;
    /**
     * The demo system, its exchange simulator and the injector share two cores here; their JITs settle after about
     * 25 s of ramped load. A shorter warmup measures compilation, not the system (and a cold JVM at full rate trips
     * the exchange breaker, which then stays open for its 60 s into the baseline).
     */
    public static final Duration WARMUP = ofSeconds(30);

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
                .given(EnvironmentSource.of(DemoTradingSystem.TARGETS,
                        () -> DemoTradingSystem.builder().withFlaws(flaws).start()))
                .when(new OrderTraffic(), OpenLoad.ratePerSecond(RATE_PER_SECOND).withWarmup(WARMUP))
                .inject(FaultSource.on("redis", NetworkFaults::timeout),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, NORMAL_LATENCY, NORMAL_SUCCESS)
                        .during(Phase.FAULT, DEGRADED_LATENCY, NORMAL_SUCCESS)
                        .recoversWithin(ofSeconds(15), NORMAL_LATENCY, NORMAL_SUCCESS)
                        .during(Phase.AFTER, NORMAL_LATENCY, NORMAL_SUCCESS)
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
