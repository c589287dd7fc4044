package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.HttpSimulatorFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import dev.gameday.scenarios.ServerMetric;
import java.util.Map;
import java.util.Set;

/**
 * Incident 5, circuit breaker stuck open: the exchange answers every order with 503 for 15 s (WireMock stubs through
 * its admin API), so the service's exchange breaker opens and orders fall back to {@code PENDING_ROUTE}; then the
 * exchange heals. Status codes cannot see this incident: the service acknowledges every order with 201 throughout,
 * so the experiment classifies answers by content (a {@code PENDING_ROUTE} order is a degraded answer) and reads
 * the breaker's state from the service's own Prometheus metrics into the timeline.
 *
 * <p>Recovered means: the breaker half-opens and closes within its recovery timeout once the exchange is healthy
 * (here 10 s instead of the runbooks' 60 s, set on the demo system, so that the run stays short), the breaker reads
 * closed and full service (orders routed, not parked) is back within 25 s of the heal, and stays so. The negative
 * control runs against the demo with {@code breaker-never-half-opens}: its breaker stays open, every order stays
 * parked, and the after phase's degraded rate must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(BreakerStuckOpen.against(Set.of()));
 * }</pre>
 */
public final class BreakerStuckOpen {

    public static final String NAME = "breaker-stuck-open";
    /** The exchange breaker's state as the service exports it: 1 while open. */
    public static final ServerMetric BREAKER_OPEN = ServerMetric.gauge("breaker-open",
            "resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "open"));

    private BreakerStuckOpen() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The exchange fails every order for 15 s, the breaker opens; then the exchange"
                        + " heals and the breaker must half-open and close")
                .given(Runbook.demo(flaws, Map.of("EXCHANGE_BREAKER_OPEN_DURATION", "10s")))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("exchange", exchange -> HttpSimulatorFaults.errors(exchange, 503, 1.0)),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(15)).observe(ofSeconds(40)))
                .scraping(BREAKER_OPEN)
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS,
                                Criteria.serverMetric("breaker-open").atMost(0))
                        // by status the fault is invisible: every order is still acknowledged, from the fallback
                        .during(Phase.FAULT, Runbook.DEGRADED_LATENCY, Runbook.NORMAL_SUCCESS)
                        .recoversWithin(ofSeconds(25), Criteria.serverMetric("breaker-open").atMost(0),
                                Criteria.fullService().above(99.0))
                        .during(Phase.AFTER, Runbook.NORMAL_LATENCY, Runbook.NORMAL_SUCCESS,
                                Criteria.serverMetric("breaker-open").atMost(0), Criteria.degradedRate().below(1.0))
                        .acknowledgedWritesDurable()
                        .build())
                .verifyingDurability(new OrdersTable());
    }
}
