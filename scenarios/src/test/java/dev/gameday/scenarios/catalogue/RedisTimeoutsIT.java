package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Verdict;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.timeline.TimelineEvent;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Incident 2's experiment against a demo system wired past its proxy: the run must be invalid, never passed. Its
 * healthy run and its negative control run in {@link CatalogueIT}, with every other entry's.
 */
class RedisTimeoutsIT {

    private final ExperimentRunner runner = ExperimentRunner.create().resultsIn(Path.of("target", "gameday"));

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

        // fail fast: once the proxy is seen to carry nothing, the run cannot pass, and stops
        ExperimentResult result = runner.failFast().run(bypassing);

        assertThat(result.verdict()).as(result.evaluation().headline()).isEqualTo(Verdict.INVALID);
        assertThat(result.evaluation().invalidity()).first().asString()
                .as("it names the proxy and says what to check")
                .startsWith("During the baseline, bytes sent into Toxiproxy proxy 'redis'")
                .contains("carried no traffic from the system under test, so fault 'redis-timeout' cannot have"
                        + " reached it")
                .endsWith("Check that its connection settings point at the proxy, not at the dependency directly.");
        assertThat(result.report().timeline().first(TimelineEvent.Kind.RUN_STOPPED))
                .as("stopped early, since it cannot pass").get().extracting(TimelineEvent::detail).asString()
                .startsWith("the run cannot pass: fault 'redis-timeout': During the baseline, bytes sent into"
                        + " Toxiproxy proxy 'redis'");
        assertThat(result.report().timeline().end()).as("well before its planned 42 s")
                .isLessThan(Duration.ofSeconds(30));
    }
}
