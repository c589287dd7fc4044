package dev.gameday.scenarios.catalogue;

import static java.time.Duration.ofSeconds;

import dev.gameday.demo.Flaw;
import dev.gameday.faults.HttpSimulatorFaults;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import java.util.Set;

/**
 * Incident 6, exchange failures: under steady order traffic, the exchange (a WireMock simulator) answers half of all
 * calls with 503 for 20 s, then recovers.
 *
 * <p>Recovered means: every order is still acknowledged (routed, or parked as {@code PENDING_ROUTE} when the
 * exchange fails or the breaker is open) within the degraded latency bound, normal within 15 s of the recovery, and
 * no acknowledged order is lost. The negative control runs against the demo with {@code no-exchange-fallback}, which
 * passes exchange failures on to the client; the fault phase's success objective must fail.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().run(ExchangeErrors.against(Set.of()));
 * }</pre>
 */
public final class ExchangeErrors {

    public static final String NAME = "exchange-errors";

    private ExchangeErrors() {
    }

    /** Against the demo system with the given flaws switched on. */
    public static Experiment against(Set<Flaw> flaws) {
        return Experiment.named(NAME, "The exchange answers half of all calls with 503 for 20 s under steady order"
                        + " traffic, then recovers")
                .given(Runbook.demo(flaws))
                .when(new OrderTraffic(), Runbook.load())
                .inject(FaultSource.on("exchange", exchange -> HttpSimulatorFaults.errors(exchange, 503, 0.5)),
                        FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(20)).observe(ofSeconds(30)))
                .then(Runbook.ridesOut(ofSeconds(15)))
                .verifyingDurability(new OrdersTable());
    }
}
