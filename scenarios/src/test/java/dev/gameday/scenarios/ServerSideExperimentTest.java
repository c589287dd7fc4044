package dev.gameday.scenarios;

import static io.gatling.javaapi.http.HttpDsl.http;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.catalogue.OrderTraffic;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Server-side series and degraded answers as an experiment declares them, checked before anything starts. */
class ServerSideExperimentTest {

    private static final ServerMetric BREAKER_OPEN = ServerMetric.gauge("breaker-open",
            "resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "open"));

    private static Experiment.ThenStep step(Traffic traffic) {
        return step(traffic, ofSeconds(10));
    }

    private static Experiment.ThenStep step(Traffic traffic, java.time.Duration baseline) {
        return Experiment.named("exchange-breaker", "the exchange times out until the breaker opens")
                .given(EnvironmentSource.of(DemoTradingSystem.TARGETS, () -> {
                    throw new AssertionError("never started");
                }))
                .when(traffic, OpenLoad.ratePerSecond(50))
                .inject(FaultSource.on("exchange", NetworkFaults::timeout),
                        FaultSchedule.baseline(baseline).fault(ofSeconds(15)).observe(ofSeconds(25)));
    }

    @Test
    void anExperimentCarriesTheGaugesItScrapesThroughEveryCopy() {
        Experiment experiment = step(new OrderTraffic()).scraping(BREAKER_OPEN)
                .then(ObjectiveSet.builder().during(Phase.AFTER, Criteria.serverMetric("breaker-open").atMost(0)).build());

        assertThat(experiment.serverMetrics()).containsExactly(BREAKER_OPEN);
        assertThat(experiment.renamed("other").serverMetrics()).containsExactly(BREAKER_OPEN);
        assertThat(experiment.withLoad(OpenLoad.ratePerSecond(20)).serverMetrics()).containsExactly(BREAKER_OPEN);
        assertThat(experiment.withSchedule(FaultSchedule.baseline(ofSeconds(10)).fault(ofSeconds(10))
                .observe(ofSeconds(30))).serverMetrics()).containsExactly(BREAKER_OPEN);
        assertThat(experiment.against(() -> {
            throw new AssertionError("never started");
        }).serverMetrics()).containsExactly(BREAKER_OPEN);
        assertThat(BREAKER_OPEN.selector()).isEqualTo("resilience4j_circuitbreaker_state{name=\"exchange\",state=\"open\"}");
        assertThat(BREAKER_OPEN.path()).isEqualTo("/metrics");
        assertThat(BREAKER_OPEN.at("/actuator/prometheus").path()).isEqualTo("/actuator/prometheus");
    }

    @Test
    void rejectsAnObjectiveOverASeriesTheExperimentDoesNotScrape() {
        assertThatThrownBy(() -> step(new OrderTraffic()).then(ObjectiveSet.builder()
                .during(Phase.AFTER, Criteria.serverMetric("breaker-open").atMost(0)).build()))
                .hasMessageStartingWith("Experiment 'exchange-breaker': objective 'server breaker-open <= 0' judges the"
                        + " server-side series 'breaker-open', but the experiment does not scrape it; it scrapes none."
                        + " Declare it before then(..), for example .scraping(ServerMetric.gauge(\"breaker-open\",");
    }

    @Test
    void aGrowthObjectiveNeedsItsSeriesScrapedAndAPhaseOfTwentySeconds() {
        ServerMetric heap = ServerMetric.gauge("heap", "jvm_memory_used_bytes", Map.of("area", "heap"));
        ObjectiveSet growth = ObjectiveSet.builder()
                .during(Phase.BASELINE, Criteria.serverMetric("heap").growthPerMinute().atMost(32e6)).build();

        assertThatThrownBy(() -> step(new OrderTraffic(), ofSeconds(20)).then(growth))
                .hasMessageStartingWith("Experiment 'exchange-breaker': objective 'server heap growth <= 32,000,000 per"
                        + " minute' judges the server-side series 'heap', but the experiment does not scrape it");
        assertThatThrownBy(() -> step(new OrderTraffic()).scraping(heap).then(growth))
                .hasMessage("Experiment 'exchange-breaker': the objectives of phase 'baseline' judge a growth, which"
                        + " needs at least 20 s of readings, but the schedule gives that phase 10 s. Lengthen it.");
        Experiment accepted = step(new OrderTraffic(), ofSeconds(20)).scraping(heap).then(growth);
        assertThat(accepted.objectives().minimumLength(Phase.BASELINE)).isEqualTo(ofSeconds(20));
    }

    @Test
    void rejectsTwoGaugesUnderOneName() {
        assertThatThrownBy(() -> step(new OrderTraffic()).scraping(BREAKER_OPEN, BREAKER_OPEN)
                .then(ObjectiveSet.builder().during(Phase.AFTER, Criteria.successRate().above(99)).build()))
                .hasMessage("Experiment 'exchange-breaker': it scrapes server-side series [breaker-open] more than once;"
                        + " give each ServerMetric its own name.");
    }

    @Test
    void rejectsADegradedObjectiveThatTheTrafficCouldNeverViolate() {
        Traffic statusOnly = ledger -> List.of(new TrafficRequest("ping", 1, () -> http("ping").get("/"), Set.of(200),
                Optional.empty()));
        assertThatThrownBy(() -> step(statusOnly).then(ObjectiveSet.builder()
                .during(Phase.AFTER, Criteria.fullService().above(99)).build()))
                .hasMessage("Experiment 'exchange-breaker': objective 'full service > 99.00 %' can never be violated:"
                        + " none of its traffic's requests (ping) says how to tell a degraded answer. Declare one with"
                        + " TrafficRequest.degradedWhen(DegradedAnswer.jsonField(..)), or use Criteria.successRate().");
        Experiment accepted = step(new OrderTraffic()).then(ObjectiveSet.builder()
                .during(Phase.AFTER, Criteria.degradedRate().below(1.0)).build());
        assertThat(accepted.traffic().requests(new WriteLedger())).filteredOn(r -> r.degraded().isPresent())
                .extracting(TrafficRequest::series).containsExactly(OrderTraffic.PLACE_ORDER);
    }

    @Test
    void rejectsMalformedGauges() {
        assertThatThrownBy(() -> ServerMetric.gauge("breaker-open", "resilience4j circuitbreaker"))
                .hasMessageContaining("is not a Prometheus metric name");
        assertThatThrownBy(() -> ServerMetric.gauge("", "up")).hasMessageContaining("such as 'breaker-open'");
        assertThatThrownBy(() -> ServerMetric.gauge("up", "up").at("metrics"))
                .hasMessageContaining("must start with '/'");
    }

    @Test
    void tellsTheDemosFallbackOrderFromARoutedOne() {
        // as the demo's OrderJson writes them
        String pending = "{\"id\":\"4f1c\",\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1.5,"
                + "\"price\":65000.0,\"status\":\"PENDING_ROUTE\",\"exchangeOrderId\":null,\"createdAt\":\"x\"}";
        String routed = pending.replace("PENDING_ROUTE", "ROUTED");

        assertThat(OrderTraffic.PENDING_ROUTE.matches(pending)).isTrue();
        assertThat(OrderTraffic.PENDING_ROUTE.matches(routed)).isFalse();
        assertThat(OrderTraffic.PENDING_ROUTE.matches("{\"status\" : \"PENDING_ROUTE\"}")).isTrue();
        assertThat(OrderTraffic.PENDING_ROUTE.matches("{\"note\":\"status PENDING_ROUTE\"}")).isFalse();
        assertThat(OrderTraffic.PENDING_ROUTE.description()).isEqualTo("status = PENDING_ROUTE");
        assertThat(DegradedAnswer.bodyMatches("fallback").matches("served from fallback cache")).isTrue();
        assertThatThrownBy(() -> DegradedAnswer.bodyMatches("(unclosed"))
                .hasMessageContaining("is not a valid regular expression");
    }
}
