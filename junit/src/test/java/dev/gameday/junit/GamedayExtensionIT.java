package dev.gameday.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Target;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.catalogue.RedisTimeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.testcontainers.DockerClientFactory;

/**
 * The extension end to end, with the real runner, load and demo system, in the least time that proves it: one
 * {@code @Gameday} class whose {@code @SystemUnderTest} is the demo system wired straight to Redis, past its proxy.
 * The redis-timeouts experiment against it is INVALID whatever the machine's load (the fault cannot reach the
 * system: {@code RedisTimeoutsIT} shows it), so the verdict is certain and the phases can be short. It shows: the
 * shared system is started once; the run goes against it and leaves it running; INVALID fails the test saying it is
 * not a verdict on the system; the reports land under the build directory; the real health check passes before the
 * next test; and every container is gone once the class has run. About 60 s to start the system, 50 s to run.
 */
class GamedayExtensionIT {

    static volatile DemoTradingSystem started;

    @TempDir
    Path build;

    @BeforeEach
    void buildDirectory() {
        System.setProperty(ReportLocations.BUILD_DIRECTORY, build.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty(ReportLocations.BUILD_DIRECTORY);
    }

    @Gameday
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class DemoSystemPastItsProxy {
        @SystemUnderTest
        static EnvironmentSource system = () -> {
            // 'redis' is the proxy's name now (ContainerSystem gives it the service's); Redis itself answers as
            // 'redis-upstream', past the proxy
            started = DemoTradingSystem.builder().withSetting("REDIS_HOST", "redis-upstream").start();
            return started;
        };

        @Test
        void a_redisTimeoutsCannotJudgeIt(GamedayRunner gameday) {
            // fail fast: stopped once the proxy is seen to carry none of the system's traffic
            gameday.failFast().run(RedisTimeouts.experiment()
                    .withLoad(OpenLoad.ratePerSecond(100).withWarmup(Duration.ofSeconds(10)))
                    .withSchedule(FaultSchedule.baseline(Duration.ofSeconds(10)).fault(Duration.ofSeconds(5))
                            .observe(Duration.ofSeconds(22))));
        }

        @Test
        void b_theSharedSystemIsStillHealthy() {
            started.checkHealthy();   // the extension checked it before this test too
        }
    }

    @Test
    void runsAnExperimentAgainstTheSharedDemoSystemAndClosesIt() throws IOException {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DemoSystemPastItsProxy.class)).execute();

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        Throwable failure = results.testEvents().failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .findFirst().orElseThrow();
        assertThat(failure).hasMessageStartingWith("Experiment 'redis-timeouts' against demo-trading-system: INVALID:"
                        + " this is not a verdict on the system under test: the run could not judge it, because:\n"
                        + "  - During the baseline, bytes sent into Toxiproxy proxy 'redis'");
        Path runs = build.resolve("gameday").resolve(DemoSystemPastItsProxy.class.getName())
                .resolve("a_redisTimeoutsCannotJudgeIt");
        try (Stream<Path> directories = Files.list(runs)) {
            assertThat(directories.toList()).singleElement()
                    .satisfies(run -> assertThat(run.resolve("report.txt")).content()
                            .as("the runner's failFast() reached the run: it stopped early")
                            .contains("run stopped early (fail fast): the run cannot pass"));
        }
        try (Stream<Path> allure = Files.list(build.resolve("allure-results"))) {
            assertThat(allure.filter(f -> f.toString().endsWith("-result.json")).toList()).hasSize(1);
        }
        assertThatClosed(started);
    }

    private static void assertThatClosed(DemoTradingSystem system) {
        List<String> containers = system.targets().stream().map(Target::containerId).flatMap(Optional::stream).toList();
        assertThat(containers).hasSize(4);
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withIdFilter(containers).exec()).as("every container of the shared system is removed").isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(system::checkHealthy)
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageStartingWith("System 'demo-trading-system' has been stopped");
    }
}
