package dev.gameday.scenarios;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.catalogue.OrderTraffic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runner refuses before any load is sent; runs with load are in the ITs. */
class ExperimentRunnerTest {

    @TempDir
    Path results;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private ExperimentRunner runner() {
        return ExperimentRunner.create().resultsIn(results).printingTo(new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @Test
    void aSecondExperimentFailsAtOnceWhileAnotherIsRunningInThisJvm() throws Exception {
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Experiment first = experiment("first", () -> {
            starting.countDown();
            await(release);
            throw new IllegalStateException("the first environment never starts");
        });
        CompletableFuture<ExperimentResult> running = CompletableFuture.supplyAsync(() -> runner().run(first));
        assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            Experiment second = experiment("second", () -> {
                throw new AssertionError("the second experiment must not start its environment");
            });

            assertThatThrownBy(() -> runner().run(second))
                    .isInstanceOf(ExperimentException.class)
                    .hasMessageStartingWith("Experiment 'second' cannot start: another experiment ('first') is running in"
                            + " this JVM since ")
                    .hasMessageEndingWith(" UTC; Gameday runs one experiment at a time per JVM: run them one after"
                            + " another, or in separate JVMs (surefire forkCount).");
            assertThatThrownBy(() -> runner().run(second, new FakeEnvironment("api", "redis")))
                    .as("also against an environment already running")
                    .hasMessageContaining("another experiment ('first') is running in this JVM");
        } finally {
            release.countDown();
        }
        assertThatThrownBy(running::join).hasRootCauseMessage("the first environment never starts");

        FakeEnvironment environment = new FakeEnvironment("api", "redis");
        assertThatThrownBy(() -> runner().run(experiment("third", () -> environment)))
                .as("once the first has ended, the next one may run (here it fails on its fault, which is not the guard)")
                .hasMessageNotContaining("another experiment");
        assertThat(environment.closes).as("the runner closes an environment it started").hasValue(1);
    }

    @Test
    void aNetworkFaultOnATargetWithoutAProxyFailsBeforeAnyLoad() {
        FakeEnvironment environment = new FakeEnvironment("api", "redis");

        assertThatThrownBy(() -> runner().run(experiment("no-proxy", () -> environment), environment))
                .isInstanceOf(ExperimentException.class)
                .hasMessageStartingWith("Experiment 'no-proxy': its fault cannot act on environment 'fake': ")
                .hasMessageContaining("redis-timeout")
                .hasMessageContaining("needs a Toxiproxy proxy between the system under test and it (PROXIED_LINK), but"
                        + " target 'redis' has no capability. Declare it proxied in the environment")
                .hasMessageEndingWith(" Nothing was run: no load was sent.");
        assertThat(environment.closes).as("an environment the caller owns is left running").hasValue(0);
    }

    private static Experiment experiment(String name, EnvironmentSource environment) {
        return Experiment.named(name, "never gets as far as load")
                .given(environment)
                .when(new OrderTraffic(), OpenLoad.ratePerSecond(50))
                .inject(FaultSource.on("redis", NetworkFaults::timeout),
                        FaultSchedule.baseline(ofSeconds(10)).fault(ofSeconds(5)).observe(ofSeconds(10)))
                .then(ObjectiveSet.builder().during(Phase.BASELINE, Criteria.successRate().above(99)).build());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
