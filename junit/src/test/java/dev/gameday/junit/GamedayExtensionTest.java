package dev.gameday.junit;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.environments.Environment;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.Fault;
import dev.gameday.reports.Reports;
import dev.gameday.reports.RunReport;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentException;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.TrafficRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/**
 * The extension's mechanics, on small test classes run by JUnit's own {@link EngineTestKit}: a fake environment
 * counts starts, health checks and closes, and a fake execution hands back verdicts the real evaluator reached on
 * hand-recorded runs. No container, no load; the load path and the demo system have their own tests.
 */
class GamedayExtensionTest {

    /** One per run the fake execution was given: which experiment, against which environment, open or closed. */
    record Seen(String experiment, Environment environment, boolean closedDuringRun) {
    }

    static final List<Seen> RUNS = new CopyOnWriteArrayList<>();
    static final InMemoryDisruption DISRUPTION = new InMemoryDisruption();
    static final Fault HANGING = Fault.of("in-memory", DISRUPTION);
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);
    static volatile CountDownLatch INJECTED = new CountDownLatch(1);
    static volatile Thread ABANDONED;

    @TempDir
    Path build;

    @BeforeEach
    void fakeTheRunsAndTheBuildDirectory() {
        FakeSystem.reset();
        RUNS.clear();
        System.setProperty(ReportLocations.BUILD_DIRECTORY, build.toString());
        GamedayExtension.execution = (experiment, environment, root, failFast) -> {
            RUNS.add(new Seen(experiment.name(), environment, ((FakeSystem) environment).closed));
            RunReport report = switch (experiment.name()) {
                case "passes" -> Runs.passed(experiment.name());
                case "fails" -> Runs.failed(experiment.name());
                case "invalid" -> Runs.invalid(experiment.name());
                case "hangs" -> {
                    HANGING.inject();
                    INJECTED.countDown();
                    await(RELEASE);
                    throw new ExperimentException("released");
                }
                default -> throw new ExperimentException("The load generator failed (Gatling exit status 1) in"
                        + " experiment '" + experiment.name() + "'; its log is above. Nothing was assessed.");
            };
            Path directory = root.resolve(experiment.name() + "-20261130-100000");
            try {
                return new ExperimentResult(report, directory, Reports.writeAll(report, directory));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @AfterEach
    void restore() {
        GamedayExtension.execution = GamedayExtension.RUNNER;
        System.clearProperty(ReportLocations.BUILD_DIRECTORY);
    }

    // ---- the test classes EngineTestKit runs ----

    @Gameday
    static class Passes {
        @SystemUnderTest
        static EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void survivesRedisTimeouts(GamedayRunner gameday) {
            assertThat(gameday.run(experiment("passes")).verdict()).isEqualTo(Verdict.PASSED);
        }
    }

    @Gameday
    static class Fails {
        @SystemUnderTest
        static EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void survivesRedisTimeouts(GamedayRunner gameday) {
            gameday.run(experiment("fails"));
        }
    }

    @Gameday
    static class Invalid {
        @SystemUnderTest
        static EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void survivesRedisTimeouts(GamedayRunner gameday) {
            gameday.run(experiment("invalid"));
        }
    }

    @Gameday
    static class Breaks {
        @SystemUnderTest
        static EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void survivesRedisTimeouts(GamedayRunner gameday) {
            gameday.run(experiment("breaks"));
        }
    }

    @Gameday
    static class NegativeControl {
        @SystemUnderTest
        static EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void theFlawedSystemFails(GamedayRunner gameday) {
            ExperimentResult result = gameday.runExpecting(Verdict.FAILED, experiment("fails"));
            assertThat(result.evaluation().violations()).isNotEmpty();
        }

        @Test
        void aNegativeControlThatPassesFailsTheTest(GamedayRunner gameday) {
            gameday.runExpecting(Verdict.FAILED, experiment("passes"));
        }
    }

    @Gameday
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class TwoTests {
        @SystemUnderTest
        static EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void a(GamedayRunner gameday) {
            gameday.run(experiment("passes"));
        }

        @Test
        void b(GamedayRunner gameday) {
            gameday.run(experiment("passes"));
        }
    }

    @Gameday
    static class OwnEnvironments {
        @Test
        void a(GamedayRunner gameday) {
            gameday.run(experiment("passes"));
        }

        @Test
        void b(GamedayRunner gameday) {
            gameday.run(experiment("fails"));
        }
    }

    /** As a test abandoned by a separate-thread timeout: it ends while its run is still going. */
    @Gameday
    static class EndsWhileItsRunGoesOn {
        @Test
        void hangs(GamedayRunner gameday) throws InterruptedException {
            Thread run = new Thread(() -> gameday.run(experiment("hangs")), "abandoned run");
            run.setDaemon(true);
            ABANDONED = run;
            run.start();
            assertThat(INJECTED.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Gameday
    static class NonStaticField {
        @SystemUnderTest
        EnvironmentSource system = FakeSystem.SOURCE;

        @Test
        void neverRuns(GamedayRunner gameday) {
            gameday.run(experiment("passes"));
        }
    }

    @Gameday
    static class WrongType {
        @SystemUnderTest
        static Object system = FakeSystem.SOURCE;

        @Test
        void neverRuns(GamedayRunner gameday) {
            gameday.run(experiment("passes"));
        }
    }

    // ---- what each shows ----

    @Test
    void anExperimentWhoseObjectivesAreMetPassesTheTestAndTheSharedSystemIsClosedAfterTheClass() throws IOException {
        EngineExecutionResults results = execute(Passes.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        assertThat(FakeSystem.STARTS).hasValue(1);
        assertThat(FakeSystem.CLOSES).hasValue(1);
        assertThat(RUNS).singleElement().satisfies(run -> assertThat(run.closedDuringRun())
                .as("the run uses the shared system, still open").isFalse());
        Path runs = build.resolve("gameday").resolve(Passes.class.getName()).resolve("survivesRedisTimeouts");
        assertThat(runs.resolve("passes-20261130-100000").resolve("report.txt")).as("reports under the build directory")
                .isRegularFile();
        assertThat(allureResults()).as("one Allure result, named after the test, with the report files attached")
                .singleElement().satisfies(json -> assertThat(json)
                        .contains("\"name\":\"survivesRedisTimeouts(GamedayRunner)\"")
                        .contains("\"status\":\"passed\"")
                        .contains("\"name\":\"report.txt\"")
                        .contains("\"name\":\"summary.json\""));
    }

    @Test
    void aViolatedObjectiveFailsTheTestNamingObjectivePhaseExpectedAndActual() throws IOException {
        EngineExecutionResults results = execute(Fails.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(0).failed(1));
        Throwable failure = failures(results.testEvents()).get(0);
        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Experiment 'fails' against fake: FAILED: 2 of 3 objectives violated\n")
                .hasMessageContaining("\n  Objective 'p95 latency < 500 ms' violated in phase 'fault': expected < 500 ms,"
                        + " actual 5,001 ms")
                .hasMessageContaining("\n  Objective 'success rate > 99.50 %' violated in phase 'fault': expected"
                        + " > 99.50 %, actual 0.00 %")
                .hasMessageContaining("\nReport: ")
                .hasMessageEndingWith("fails-20261130-100000/report.txt");
        AssertionFailedError assertion = (AssertionFailedError) failure;
        assertThat(assertion.getExpected().getValue()).as("the first violation's figures, for IDEs").isEqualTo("< 500 ms");
        assertThat(assertion.getActual().getValue()).isEqualTo("5,001 ms");
        assertThat(FakeSystem.CLOSES).hasValue(1);
        assertThat(allureResults()).singleElement().asString().contains("\"status\":\"failed\"")
                .contains("violated in phase 'fault'");
    }

    @Test
    void anInvalidRunFailsTheTestSayingItIsNotAVerdictOnTheSystem() {
        EngineExecutionResults results = execute(Invalid.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(failures(results.testEvents()).get(0)).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Experiment 'invalid' against fake: INVALID: this is not a verdict on the system"
                        + " under test: the run could not judge it, because:\n  - Fault 'redis-timeout' was injected but"
                        + " its effect was never confirmed");
        assertThat(FakeSystem.CLOSES).hasValue(1);
    }

    @Test
    void aRunThatThrowsFailsTheTestWithThatExceptionAndTheSystemIsStillClosed() throws IOException {
        EngineExecutionResults results = execute(Breaks.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        assertThat(failures(results.testEvents()).get(0)).isInstanceOf(ExperimentException.class)
                .hasMessageStartingWith("The load generator failed (Gatling exit status 1) in experiment 'breaks'");
        assertThat(FakeSystem.CLOSES).hasValue(1);
        assertThat(allureResults()).singleElement().asString().contains("\"status\":\"broken\"");
    }

    @Test
    void aNegativeControlPassesWhenItFailsAndFailsWhenItPasses() {
        EngineExecutionResults results = execute(NegativeControl.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(failures(results.testEvents())).singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .hasMessageStartingWith("Experiment 'passes' against fake: PASSED: all 3 objectives met, but FAILED was"
                        + " expected: a negative control must fail");
    }

    @Test
    void theSharedSystemStartsOnceForTwoTestsIsCheckedBetweenThemAndClosesOnce() {
        EngineExecutionResults results = execute(TwoTests.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(FakeSystem.STARTS).hasValue(1);
        assertThat(FakeSystem.HEALTH_CHECKS).as("checked before the second test, not right after the start").hasValue(1);
        assertThat(FakeSystem.CLOSES).hasValue(1);
        assertThat(RUNS).hasSize(2).extracting(Seen::environment).as("the same environment").containsOnly(
                RUNS.get(0).environment());
    }

    @Test
    void aTestAfterAnUnhealthyCheckFailsWithTheReasonAndDoesNotRun() {
        FakeSystem.unhealthyFromCheck = 1;

        EngineExecutionResults results = execute(TwoTests.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(failures(results.testEvents()).get(0)).isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessage("The system under test shared by TwoTests ('fake-system') is not healthy before test"
                        + " 'b(GamedayRunner)', so the test did not run. This is the environment's state after the earlier"
                        + " tests, not a verdict of this test's experiment: container(s) [redis] no longer running");
        assertThat(RUNS).as("only the first test ran an experiment").hasSize(1);
        assertThat(FakeSystem.CLOSES).hasValue(1);
    }

    @Test
    void withoutASharedSystemEachExperimentStartsAndClosesItsOwn() {
        EngineExecutionResults results = execute(OwnEnvironments.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(FakeSystem.STARTS).hasValue(2);
        assertThat(FakeSystem.CLOSES).as("closed after a pass and after a failure").hasValue(2);
        assertThat(RUNS).extracting(Seen::closedDuringRun).containsOnly(false);
        assertThat(RUNS.get(0).environment()).isNotSameAs(RUNS.get(1).environment());
    }

    @Test
    void aSystemThatDoesNotStartFailsEveryTestOfTheClassWithTheReason() {
        FakeSystem.failToStart = new EnvironmentUnavailableException("The demo trading system did not start: no Docker");

        EngineExecutionResults results = execute(TwoTests.class);

        results.containerEvents().assertStatistics(stats -> stats.failed(1));
        assertThat(failures(results.containerEvents())).singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessage("The demo trading system did not start: no Docker");
        assertThat(RUNS).isEmpty();
        assertThat(FakeSystem.CLOSES).hasValue(0);
    }

    @Test
    void aTestThatEndsWhileItsRunGoesOnHasItsFaultsRevertedThenItsEnvironmentClosed() throws InterruptedException {
        RELEASE = new CountDownLatch(1);
        INJECTED = new CountDownLatch(1);
        ABANDONED = null;
        try {
            EngineExecutionResults results = execute(EndsWhileItsRunGoesOn.class);

            results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
            assertThat(DISRUPTION.calls).as("the fault the run injected was reverted when the test ended")
                    .containsExactly("apply", "revert");
            assertThat(FakeSystem.CLOSES).hasValue(1);
        } finally {
            RELEASE.countDown();
            // let the abandoned run end before the temporary build directory is removed
            if (ABANDONED != null) {
                ABANDONED.join(10_000);
            }
        }
    }

    @Test
    void aSystemUnderTestFieldMustBeStatic() {
        EngineExecutionResults results = execute(NonStaticField.class);

        assertThat(failures(results.containerEvents())).singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@SystemUnderTest field 'system' of NonStaticField must be static");
        assertThat(FakeSystem.STARTS).hasValue(0);
    }

    @Test
    void aSystemUnderTestFieldMustBeAnEnvironmentSource() {
        EngineExecutionResults results = execute(WrongType.class);

        assertThat(failures(results.containerEvents())).singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@SystemUnderTest field 'system' of WrongType must be of type EnvironmentSource, but is Object."
                        + " Write: static EnvironmentSource system = () -> DemoTradingSystem.builder().start();");
        assertThat(FakeSystem.STARTS).hasValue(0);
    }

    // ---- helpers ----

    static Experiment experiment(String name) {
        TrafficRequest read = new TrafficRequest("read", 1, () -> {
            throw new AssertionError("no Gatling request is built");
        }, Set.of(200), Optional.empty());
        return Experiment.named(name, "judged by hand")
                .given(FakeSystem.SOURCE)
                .when(ledger -> List.of(read), OpenLoad.ratePerSecond(100))
                .inject(FaultSource.on("redis", target -> {
                    throw new AssertionError("the fake execution injects nothing");
                }), FaultSchedule.baseline(ofSeconds(10)).fault(ofSeconds(10)).observe(ofSeconds(10)))
                .then(ObjectiveSet.builder().during(Phase.BASELINE, Criteria.successRate().above(99.5)).build());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Applied and reverted in memory, effective at once; records the calls. */
    static final class InMemoryDisruption implements Disruption {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private volatile boolean applied;

        @Override
        public String describe() {
            return "in-memory degradation";
        }

        @Override
        public void apply(AppliedState injection) {
            calls.add("apply");
            applied = true;
        }

        @Override
        public void revert(AppliedState injection) {
            calls.add("revert");
            applied = false;
        }

        @Override

        public AppliedState prepare() {

            return AppliedState.of("test");

        }


        @Override
        public Observation observe(AppliedState injection) {
            return applied ? Observation.inEffect("degraded") : Observation.notInEffect("healthy");
        }
    }

    private static EngineExecutionResults execute(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    private static List<Throwable> failures(Events events) {
        return events.failed().stream()
                .map(event -> event.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .toList();
    }

    private List<String> allureResults() throws IOException {
        Path directory = build.resolve("allure-results");
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-result.json")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
