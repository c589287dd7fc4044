package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.DurabilityObjective;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseSummary;
import dev.gameday.assertions.Verdict;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.OpenLoad;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Incident 2 end to end, with real parts: the demo trading system, PostgreSQL, Redis, a WireMock exchange and
 * Toxiproxy in containers, real Gatling load, a real Toxiproxy timeout toxic.
 */
class RedisTimeoutsIT {

    private final ExperimentRunner runner = ExperimentRunner.create().resultsIn(Path.of("target", "gameday"));

    @Test
    void theHealthySystemRidesOutRedisTimeoutsAndRecovers() {
        ExperimentResult result = runner.run(RedisTimeouts.experiment());

        assertThat(result.verdict()).as(result.evaluation().headline()).isEqualTo(Verdict.PASSED);
        assertThat(result.evaluation().timeToRecover()).as("time to recover is measured")
                .hasValueSatisfying(ttr -> assertThat(ttr).isLessThan(Duration.ofSeconds(15)));
        PhaseSummary fault = result.evaluation().phase(Phase.FAULT).orElseThrow();
        assertThat(fault.total().requests()).as("the load kept coming during the fault (open model)")
                .isGreaterThan(3_000);
        assertThat(result.evaluation().results())
                .filteredOn(r -> r.objective() instanceof DurabilityObjective)
                .singleElement().extracting(ObjectiveResult::message).asString()
                .as("every acknowledged order is in PostgreSQL")
                .contains("met", "all acknowledged writes found");
        assertThat(result.directory().resolve("summary.json")).isRegularFile();
        assertThat(result.directory().resolve("TEST-gameday-redis-timeouts.xml")).isRegularFile();
    }

    @Test
    void theNegativeControlFailsForTheRightReason() {
        ExperimentResult result = runner.run(RedisTimeouts.negativeControl());

        assertThat(result.verdict())
                .as("a system whose request threads hang on Redis must fail, not be declared invalid: %s",
                        result.evaluation().invalidity())
                .isEqualTo(Verdict.FAILED);
        assertThat(result.evaluation().violations()).extracting(ObjectiveResult::message)
                .as("it fails during the fault, naming objective, phase, expected and actual")
                .anySatisfy(message -> assertThat(message)
                        .startsWith("Objective 'success rate > 99.50 %' violated in phase 'fault': expected > 99.50 %, actual "))
                .anySatisfy(message -> assertThat(message)
                        .startsWith("Objective 'p95 latency < 500 ms' violated in phase 'fault': expected < 500 ms, actual "));
        assertThat(result.evaluation().phase(Phase.BASELINE).orElseThrow().total().successPercent())
                .as("the flaw only shows once Redis hangs: the baseline is healthy")
                .isGreaterThan(99.5);
    }

    @Test
    void aSystemWiredPastItsProxyMakesTheRunInvalidNotPassed() {
        // The service talks to Redis directly, so the fault on the proxy never reaches it: without evidence from the
        // proxy's traffic this run would pass, having tested nothing. Short phases: the verdict needs no more.
        Experiment bypassing = RedisTimeouts.experiment()
                .against(() -> DemoTradingSystem.builder()
                        .withSetting("REDIS_HOST", "redis-upstream").start())
                .withLoad(OpenLoad.ratePerSecond(100).withWarmup(Duration.ofSeconds(10)))
                .withSchedule(FaultSchedule.baseline(Duration.ofSeconds(10)).fault(Duration.ofSeconds(5))
                        .observe(Duration.ofSeconds(22)));

        ExperimentResult result = runner.run(bypassing);

        assertThat(result.verdict()).as(result.evaluation().headline()).isEqualTo(Verdict.INVALID);
        assertThat(result.evaluation().invalidity()).first().asString()
                .as("it names the proxy and says what to check")
                .startsWith("During the baseline, bytes sent into Toxiproxy proxy 'redis'")
                .contains("carried no traffic from the system under test, so fault 'redis-timeout' cannot have"
                        + " reached it")
                .endsWith("Check that its connection settings point at the proxy, not at the dependency directly.");
    }
}
