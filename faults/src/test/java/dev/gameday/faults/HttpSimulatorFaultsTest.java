package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.HttpSimulatorFaults.Route;
import dev.gameday.faults.internal.WireMockDisruption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The HTTP fault factories' checks and the stubs they would add, without a simulator (factories do no I/O). */
class HttpSimulatorFaultsTest {

    private static final Target PLAIN_HTTP = new Target("exchange", Protocol.HTTP, new Endpoint("localhost", 8089),
            Optional.empty(), Optional.of("c0ffee"));
    private static final Target SIMULATOR = PLAIN_HTTP.asHttpSimulator();

    @Test
    void aTargetThatIsNotASimulatorIsRefusedNamingTheCapability() {
        assertThatThrownBy(() -> HttpSimulatorFaults.errors(PLAIN_HTTP, 503, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fault 'exchange-http-errors'").hasMessageContaining("HTTP_SIMULATOR")
                .hasMessageContaining("asHttpSimulator()");
        assertThatThrownBy(() -> HttpSimulatorFaults.connectionReset(PLAIN_HTTP))
                .hasMessageContaining("HTTP_SIMULATOR");
    }

    @Test
    void factoriesNameTheirFaultsAndRefuseNonsense() {
        assertThat(HttpSimulatorFaults.errors(SIMULATOR, 503, 0.25).name()).isEqualTo("exchange-http-errors");
        assertThat(HttpSimulatorFaults.delay(SIMULATOR, Duration.ofMillis(300)).name()).isEqualTo("exchange-http-delay");
        assertThat(HttpSimulatorFaults.randomDelay(SIMULATOR, Duration.ofMillis(1), Duration.ofMillis(2)).name())
                .isEqualTo("exchange-http-random-delay");
        assertThat(HttpSimulatorFaults.malformedResponse(SIMULATOR).name()).isEqualTo("exchange-http-malformed-response");
        assertThat(HttpSimulatorFaults.emptyResponse(SIMULATOR).name()).isEqualTo("exchange-http-empty-response");
        assertThat(HttpSimulatorFaults.connectionReset(SIMULATOR).name()).isEqualTo("exchange-http-connection-reset");

        assertThatThrownBy(() -> HttpSimulatorFaults.errors(SIMULATOR, 99, 1.0)).hasMessageContaining("found 99");
        assertThatThrownBy(() -> HttpSimulatorFaults.errors(SIMULATOR, 503, 0.01)).hasMessageContaining("found 0.01");
        assertThatThrownBy(() -> HttpSimulatorFaults.errors(SIMULATOR, 503, 1.5)).hasMessageContaining("found 1.5");
        assertThatThrownBy(() -> HttpSimulatorFaults.delay(SIMULATOR, Duration.ZERO)).hasMessageContaining("at least 1 ms");
        assertThatThrownBy(() -> HttpSimulatorFaults.randomDelay(SIMULATOR, Duration.ofMillis(500),
                Duration.ofMillis(500))).hasMessageContaining("maximum delay above the minimum");
    }

    @Test
    void aRouteMustBeProbedWithOneOfItsOwnRequests() {
        assertThat(Route.of("post", "/api/v3/order").describe()).isEqualTo("POST /api/v3/order");
        assertThat(Route.everything().describe()).isEqualTo("every request");
        assertThatThrownBy(() -> Route.matching("GET", "/prices/.*", "/orders"))
                .hasMessageContaining("not matched by it");
        assertThatThrownBy(() -> new Route("POST", "/orders", "GET", "/orders", ""))
                .hasMessageContaining("Probe with a POST request");
        assertThatThrownBy(() -> Route.matching("GET", "/prices/(", "/prices/"))
                .hasMessageContaining("is not one");
        assertThat(Route.matching("GET", "/prices/.*", "/prices/BTC?limit=1").probePath())
                .isEqualTo("/prices/BTC?limit=1");
    }

    @Test
    void aRateIsTheNearestFractionOfAtMostTwentyRequests() {
        assertThat(WireMockDisruption.fraction(1.0)).containsExactly(1, 1);
        assertThat(WireMockDisruption.fraction(0.5)).containsExactly(1, 2);
        assertThat(WireMockDisruption.fraction(0.25)).containsExactly(1, 4);
        assertThat(WireMockDisruption.fraction(0.3)).containsExactly(3, 10);
        assertThat(WireMockDisruption.fraction(0.05)).containsExactly(1, 20);
        assertThat(WireMockDisruption.fraction(0.37)).containsExactly(7, 19);
        assertThat(HttpSimulatorFaults.errors(SIMULATOR, 503, 0.3).describe())
                .contains("HTTP 503 for 3 in every 10 requests");
    }

    @Test
    void anErrorRateIsAScenarioCycleOfItsOwnStubsBehindAnAnchorThatMatchesNothing() {
        WireMockDisruption errors = WireMockDisruption.errors(SIMULATOR, Route.of("POST", "/orders"),
                "exchange-http-errors", 503, 0.5);
        AppliedState state = AppliedState.of("wiremock").with("admin", "http://localhost:8089/__admin")
                .with("tag", "exchange-http-errors-1f3a9c2e").with("passed-header", "X-Gameday-Passed-1f3a9c2e")
                .with("stubs", "11111111-1111-4111-8111-111111111111,22222222-2222-4222-8222-222222222222,"
                        + "33333333-3333-4333-8333-333333333333")
                .with("probe-status", "200").with("scenario", "gameday-exchange-http-errors-1f3a9c2e");
        List<String> stubs = errors.stubs(state);
        assertThat(stubs).hasSize(3);
        // added first: the anchor creates the scenario in Started, which no stub of the cycle requires
        assertThat(stubs.get(0)).contains("\"id\":\"33333333-3333-4333-8333-333333333333\"",
                "\"scenarioName\":\"gameday-exchange-http-errors-1f3a9c2e\"", "\"requiredScenarioState\":\"Started\"",
                "\"urlPath\":\"/__gameday/exchange-http-errors-1f3a9c2e\"",
                "\"X-Gameday-Passed-1f3a9c2e\":{\"equalTo\":\"never sent\"}",
                "\"metadata\":{\"gameday\":\"exchange-http-errors-1f3a9c2e\"}")
                .doesNotContain("newScenarioState");
        assertThat(stubs.get(1)).contains("\"id\":\"11111111-1111-4111-8111-111111111111\"", "\"priority\":1",
                "\"metadata\":{\"gameday\":\"exchange-http-errors-1f3a9c2e\"}",
                "\"requiredScenarioState\":\"step-0\"", "\"newScenarioState\":\"step-1\"",
                "\"X-Gameday-Passed-1f3a9c2e\":{\"absent\":true}", "\"method\":\"POST\"",
                "\"proxyBaseUrl\":\"http://localhost:8080\"");
        assertThat(stubs.get(2)).contains("\"requiredScenarioState\":\"step-1\"", "\"newScenarioState\":\"step-0\"",
                "\"status\":503", "\"X-Gameday-Fault\":\"exchange-http-errors-1f3a9c2e\"")
                .doesNotContain("proxyBaseUrl");
        assertThat(stubs).allSatisfy(stub -> assertThat(stub)
                .contains("\"scenarioName\":\"gameday-exchange-http-errors-1f3a9c2e\""));
    }

    @Test
    void aSimulatorOutsideAContainerIsReachedOnItsOwnPort() {
        Target local = new Target("exchange", Protocol.HTTP, new Endpoint("localhost", 18089), Optional.empty(),
                Optional.empty()).asHttpSimulator();
        WireMockDisruption delay = WireMockDisruption.delay(local, Route.everything(), "exchange-http-delay",
                Duration.ofMillis(100), Duration.ofMillis(300));
        AppliedState state = AppliedState.of("wiremock").with("admin", "http://localhost:18089/__admin")
                .with("tag", "exchange-http-delay-1f3a9c2e").with("passed-header", "X-Gameday-Passed-1f3a9c2e")
                .with("stubs", "11111111-1111-4111-8111-111111111111").with("probe-status", "200");
        assertThat(delay.stubs(state)).singleElement().asString()
                .contains("\"proxyBaseUrl\":\"http://localhost:18089\"")
                .contains("\"delayDistribution\":{\"type\":\"uniform\",\"lower\":100,\"upper\":300}")
                .doesNotContain("scenarioName");
    }
}
