package dev.gameday.scenarios.internal.metrics;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Figures;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseSpan;
import dev.gameday.assertions.Verdict;
import dev.gameday.demo.Flaw;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.reports.RunReport;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.ServerMetric;
import dev.gameday.scenarios.catalogue.OrderTraffic;
import dev.gameday.scenarios.internal.journal.RunRecord;
import dev.gameday.timeline.ServerSample;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker to the exchange, seen from both sides, with real parts: the demo trading system, PostgreSQL,
 * Redis, its WireMock exchange and Toxiproxy in containers, real Gatling load and a real Toxiproxy timeout on the
 * exchange. The exchange stops answering until the breaker opens, then heals; the demo keeps answering {@code 201}
 * with a {@code PENDING_ROUTE} fallback, so only the content (degraded answers) and the system's own metrics (the
 * breaker's state gauge, read every second) show what happened, and whether the breaker half-opened and closed.
 */
class ServerSideSeriesIT {

    private static final ServerMetric BREAKER_OPEN = ServerMetric.gauge("breaker-open",
            "resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "open"));
    private static final ServerMetric POOL_ACTIVE = ServerMetric.gauge("orders-pool-active",
            "hikaricp_connections_active", Map.of("pool", "orders"));
    private static final ServerMetric HEAP = ServerMetric.gauge("heap", "jvm_memory_used_bytes", Map.of("area", "heap"));

    private final ExperimentRunner runner = ExperimentRunner.create().resultsIn(Path.of("target", "gameday"));

    /** The experiment against the demo system with the given flaws. */
    private static Experiment exchangeBreaker(Flaw... flaws) {
        return Experiment.named("exchange-breaker", "The exchange hangs until the breaker opens, then heals")
                // the runbooks' 60 s open state would outlast this short run: 5 s, then half-open; and a 2 s bound on
                // an exchange call, so that a cold exchange on a busy machine does not trip the breaker in the baseline
                .given(EnvironmentSource.of(DemoTradingSystem.TARGETS, () -> DemoTradingSystem.builder()
                        .withSetting("EXCHANGE_BREAKER_OPEN_DURATION", "5s").withSetting("EXCHANGE_TIMEOUT", "2s")
                        .withFlaws(flaws).start()))
                .when(new OrderTraffic(), OpenLoad.ratePerSecond(40).withWarmup(ofSeconds(10)))
                .inject(FaultSource.on("exchange", NetworkFaults::timeout),
                        FaultSchedule.baseline(ofSeconds(8)).fault(ofSeconds(12)).observe(ofSeconds(22)))
                .scraping(BREAKER_OPEN, POOL_ACTIVE, HEAP)
                .then(ObjectiveSet.builder()
                        // by status alone the fault is invisible: every order is still acknowledged
                        .during(Phase.FAULT, Criteria.successRate().above(99))
                        .recoversWithin(ofSeconds(12), Criteria.serverMetric("breaker-open").atMost(0),
                                Criteria.fullService().above(95))
                        .during(Phase.AFTER, Criteria.serverMetric("breaker-open").atMost(0),
                                Criteria.degradedRate().below(1.0))
                        .build());
    }

    @Test
    void theBreakerOpensWhileTheExchangeHangsAndClosesAfterItHealsAsTheSystemsOwnMetricsShow() throws IOException {
        ExperimentResult result = runner.run(exchangeBreaker());

        assertThat(result.verdict()).as(result.evaluation().headline() + " " + result.evaluation().results())
                .isEqualTo(Verdict.PASSED);
        Timeline timeline = result.report().timeline();
        PhaseSpan fault = result.evaluation().phase(Phase.FAULT).orElseThrow().span();
        List<ServerSample> breaker = timeline.serverSeries().get(BREAKER_OPEN.name());
        List<ServerSample> inFault = timeline.window(fault.from(), fault.to()).serverSamples(BREAKER_OPEN.name());
        assertThat(inFault).as("the system's own view: its breaker to the exchange opened during the fault")
                .filteredOn(s -> s.value().orElse(0) == 1.0).hasSizeGreaterThanOrEqualTo(3);
        assertThat(breaker.get(breaker.size() - 1).value()).as("and was closed again at the end").hasValue(0.0);
        assertThat(inFault).as("read about once a second").hasSizeGreaterThanOrEqualTo((int) (fault.length().toSeconds() / 2));

        Figures placed = result.evaluation().phase(Phase.FAULT).orElseThrow().bySeries().get(OrderTraffic.PLACE_ORDER);
        assertThat(placed.successPercent()).as("every order was acknowledged 201 during the fault").isGreaterThan(99);
        assertThat(placed.degraded()).as("but most of them PENDING_ROUTE, which only their content shows")
                .isGreaterThan(placed.requests() / 2);
        Figures before = result.evaluation().phase(Phase.BASELINE).orElseThrow().bySeries().get(OrderTraffic.PLACE_ORDER);
        assertThat((double) placed.degraded() / placed.requests())
                .as("a larger share of degraded orders during the fault than in the baseline, side by side")
                .isGreaterThan((double) before.degraded() / before.requests());
        Figures after = result.evaluation().phase(Phase.AFTER).orElseThrow().bySeries().get(OrderTraffic.PLACE_ORDER);
        assertThat(after.requests()).isPositive();
        assertThat(after.fullServicePercent()).as("routed again once the breaker closed").isGreaterThan(99);

        assertThat(timeline.serverSeries().get(HEAP.name())).as("the heap is read as the sum of its pools")
                .filteredOn(s -> !s.isMissing()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.value().getAsDouble()).isGreaterThan(1e6));
        assertThat(timeline.serverSeries().get(POOL_ACTIVE.name())).filteredOn(s -> !s.isMissing()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.value().getAsDouble()).isBetween(0.0, 64.0));

        String report = Files.readString(result.directory().resolve("report.txt"));
        assertThat(report).contains("Server-side series", "breaker-open", "degraded");
        String summary = Files.readString(result.directory().resolve("summary.json"));
        assertThat(summary).contains("\"serverSeries\"", "\"degraded\"")
                .containsPattern("\"name\"\\s*:\\s*\"breaker-open\"");
        RunReport reread = RunRecord.read(result.directory());
        assertThat(reread.timeline().serverSeries().get(BREAKER_OPEN.name())).as("the journal keeps every reading")
                .hasSize(breaker.size());
        assertThat(reread.evaluation().verdict()).isEqualTo(Verdict.PASSED);

        // measured: from the fault confirmed active to the first reading of an open breaker, and from the revert
        // confirmed to the first reading of a closed one
        Duration active = timeline.first(TimelineEvent.Kind.FAULT_ACTIVE).orElseThrow().at();
        Duration restored = timeline.last(TimelineEvent.Kind.FAULT_RESTORED).orElseThrow().at();
        Duration opened = breaker.stream().filter(s -> s.at().compareTo(active) >= 0 && s.value().orElse(0) == 1.0)
                .findFirst().orElseThrow().at();
        Duration closed = breaker.stream().filter(s -> s.at().compareTo(restored) >= 0 && s.value().orElse(1) == 0.0)
                .findFirst().orElseThrow().at();
        System.out.printf("ServerSideSeriesIT: breaker open read %d ms after the fault was verified active; closed read"
                        + " %d ms after the revert was verified; %d of %d orders degraded during the fault; %d readings,"
                        + " %d missing%n", opened.minus(active).toMillis(), closed.minus(restored).toMillis(),
                placed.degraded(), placed.requests(), breaker.size(), breaker.stream().filter(ServerSample::isMissing).count());
    }
}
