package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.environments.Environment;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.OpenLoad;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The runbooks' figures, shared by the catalogue's experiments (INCIDENTS.md, "Objectives the runbooks state"), and
 * the demo system they run against.
 *
 * <pre>{@code
 * .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS)
 * .given(Runbook.demo(flaws, Map.of("EXCHANGE_BREAKER_OPEN_DURATION", "10s")))
 * }</pre>
 */
public final class Runbook {

    /** Request latency in normal operation: p95 under 100 ms. */
    public static final Criterion NORMAL_LATENCY = Criteria.latency().p95().below(ofMillis(100));
    /** Success rate: above 99.5 %. */
    public static final Criterion NORMAL_SUCCESS = Criteria.successRate().above(99.5);
    /** While a dependency is degraded, latency may rise to the runbooks' warning threshold, not beyond. */
    public static final Criterion DEGRADED_LATENCY = Criteria.latency().p95().below(ofMillis(500));
    /** The steady order traffic every catalogue experiment runs under. */
    public static final double RATE_PER_SECOND = 200;
    /**
     * The demo system, its exchange simulator and the injector share two cores here; their JITs settle after about
     * 25 s of ramped load. A shorter warmup measures compilation, not the system (and a cold JVM at full rate trips
     * the exchange breaker, which then stays open for its 60 s into the baseline).
     */
    public static final Duration WARMUP = ofSeconds(30);

    /**
     * The exchange call's timeout in the catalogue's demo system: 2 s, the runbooks' degradation threshold, instead of
     * the service's 500 ms default. On two shared cores the exchange simulator's cold JVM answers the warmup's first
     * orders in more than 500 ms; with the default, those timeouts trip the breaker, which then stays open for its
     * 60 s, so that the baseline measures fallbacks and the exchange first warms up after the fault, where its slow
     * answers were blamed on the recovery. A slow exchange (incident 6) is still bounded, at 2 s.
     */
    public static final String EXCHANGE_TIMEOUT = "2s";

    private Runbook() {
    }

    /**
     * The objectives of an experiment in which the system must ride out a degraded dependency: normal before the
     * fault, requests keep succeeding within the degraded latency bound during it, normal again within
     * {@code recovery} of the heal and after, and no acknowledged write lost.
     */
    public static ObjectiveSet ridesOut(Duration recovery) {
        return ObjectiveSet.builder()
                .during(Phase.BASELINE, NORMAL_LATENCY, NORMAL_SUCCESS)
                .during(Phase.FAULT, DEGRADED_LATENCY, NORMAL_SUCCESS)
                .recoversWithin(recovery, NORMAL_LATENCY, NORMAL_SUCCESS)
                .during(Phase.AFTER, NORMAL_LATENCY, NORMAL_SUCCESS)
                .acknowledgedWritesDurable()
                .build();
    }

    /**
     * The objectives of an experiment in which writes cannot succeed during the fault (a partition, a held lock, a
     * starved pool): normal before, failing fast during it (p95 under {@code p95Bound}, no success objective), normal
     * again within {@code recovery} and after, and no acknowledged write lost.
     */
    public static ObjectiveSet failsFast(Duration p95Bound, Duration recovery) {
        return ObjectiveSet.builder()
                .during(Phase.BASELINE, NORMAL_LATENCY, NORMAL_SUCCESS)
                .during(Phase.FAULT, Criteria.latency().p95().below(p95Bound))
                .recoversWithin(recovery, NORMAL_LATENCY, NORMAL_SUCCESS)
                .during(Phase.AFTER, NORMAL_LATENCY, NORMAL_SUCCESS)
                .acknowledgedWritesDurable()
                .build();
    }

    /** The catalogue's load: {@link #RATE_PER_SECOND}, open model, after {@link #WARMUP}. */
    public static OpenLoad load() {
        return OpenLoad.ratePerSecond(RATE_PER_SECOND).withWarmup(WARMUP);
    }

    /** The demo system with these flaws, declaring its targets so faults are checked before it starts. */
    public static EnvironmentSource demo(Set<Flaw> flaws) {
        return demo(flaws, Map.of());
    }

    /** The demo system with these flaws and settings (see the demo system's README for the settings). */
    public static EnvironmentSource demo(Set<Flaw> flaws, Map<String, String> settings) {
        return new DemoSource(Set.copyOf(flaws), Map.copyOf(settings));
    }

    /**
     * Whether an experiment runs against the demo system as it ships, without flaws or settings: such experiments
     * can share one running system (the catalogue's test starts it once and checks it healthy between them).
     */
    public static boolean isStockDemo(EnvironmentSource source) {
        return source instanceof DemoSource demo && demo.flaws().isEmpty() && demo.settings().isEmpty();
    }

    /** The demo system with flaws and settings, declaring its targets so faults are checked before it starts. */
    private record DemoSource(Set<Flaw> flaws, Map<String, String> settings) implements EnvironmentSource {
        @Override
        public Environment start() {
            DemoTradingSystem.Builder builder = DemoTradingSystem.builder().withFlaws(flaws)
                    .withSetting("EXCHANGE_TIMEOUT", EXCHANGE_TIMEOUT);
            settings.forEach(builder::withSetting);
            return builder.start();
        }

        @Override
        public Optional<List<String>> targetNames() {
            return Optional.of(DemoTradingSystem.TARGETS);
        }

        @Override
        public Optional<Environment> standIns() {
            return EnvironmentSource.declaring(DemoTradingSystem.standIns(), this::start).standIns();
        }

        @Override
        public String toString() {
            return DemoTradingSystem.NAME + (flaws.isEmpty() ? "" : " with flaws " + flaws.stream().map(Flaw::id)
                    .sorted().toList()) + (settings.isEmpty() ? "" : " and settings " + settings);
        }
    }
}
