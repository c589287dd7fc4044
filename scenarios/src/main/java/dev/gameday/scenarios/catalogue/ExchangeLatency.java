package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.demo.Flaw;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Map;
import java.util.Set;

/**
 * Incident 6, a slow exchange: under steady order traffic, every answer from the exchange arrives 3 s late for 20 s
 * (a Toxiproxy latency toxic on the link to it), past the runbooks' 2 s degradation threshold, then recovers. The
 * delay is on the network rather than in the simulator's own stubs: a service without a timeout keeps hundreds of
 * calls open against a delaying WireMock, whose admin API then no longer answers in time to verify the fault.
 *
 * <p>Recovered means: the service's exchange timeout bounds its latency and its breaker opens, so orders are
 * acknowledged within the degraded bound (parked as {@code PENDING_ROUTE}) while the exchange is slow, latency is
 * normal within 15 s of the exchange's recovery, and no acknowledged order is lost. The negative control runs
 * against the demo with {@code no-exchange-timeout}: every order waits for the slow exchange, and the fault phase's
 * latency objective must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(ExchangeLatency.against(Set.of()));
 * }</pre>
 */
public final class ExchangeLatency {

    public static final String NAME = "exchange-latency";

    private ExchangeLatency() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The exchange answers 3 s late for 20 s under steady order traffic, then"
                        + " recovers")
                // the service's own 500 ms exchange timeout, not the catalogue's 2 s (see Runbook.EXCHANGE_TIMEOUT):
                // the timeout is what this experiment tests, and a 2 s one would hold the first 2 s of orders
                .given(Runbook.demo(flaws, Map.of("EXCHANGE_TIMEOUT", "500ms")))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("exchange", exchange -> NetworkFaults.latency(exchange, ofSeconds(3))),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(Runbook.ridesOut(ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
