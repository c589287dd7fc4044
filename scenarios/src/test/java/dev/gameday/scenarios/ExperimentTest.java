package dev.gameday.scenarios;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.catalogue.OrderTraffic;
import dev.gameday.scenarios.catalogue.RedisTimeouts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExperimentTest {

    @Test
    void placesTheFaultAfterWarmupAndBaseline() {
        Experiment experiment = RedisTimeouts.experiment();

        assertThat(experiment.faultAt()).isEqualTo(ofSeconds(50));
        assertThat(experiment.duration()).isEqualTo(ofSeconds(100));
        assertThat(experiment.parameters()).containsEntry("load", "200 requests/s, open model")
                .containsEntry("fault", "20 s");
    }

    @Test
    void theNegativeControlRunsTheSameExperimentAgainstTheFlawedSystem() {
        Experiment control = RedisTimeouts.negativeControl();
        Experiment experiment = RedisTimeouts.experiment();

        assertThat(control.name()).isEqualTo("redis-timeouts-negative-control");
        assertThat(control.objectives()).as("same objectives: only the system differs").isEqualTo(experiment.objectives());
        assertThat(control.schedule()).isEqualTo(experiment.schedule());
        assertThat(control.durability()).isPresent();
    }

    @Test
    void rejectsAScheduleWithANonPositiveStretch() {
        assertThatThrownBy(() -> FaultSchedule.baseline(ofSeconds(20)).fault(Duration.ZERO))
                .hasMessageStartingWith("Fault schedule: fault must be > 0, but was PT0S.");
    }

    @Test
    void rejectsABaselineTooShortToAssess() {
        assertThatThrownBy(() -> Experiment.named("short", "too short a baseline")
                .given(() -> { throw new AssertionError("never started"); })
                .when(ledger -> List.of(), OpenLoad.ratePerSecond(10))
                .inject(environment -> { throw new AssertionError("never injected"); },
                        FaultSchedule.baseline(ofSeconds(2)).fault(ofSeconds(5)).observe(ofSeconds(5)))
                .then(ObjectiveSet.builder().during(Phase.BASELINE, Criteria.successRate().above(99)).build()))
                .hasMessage("Experiment 'short': a baseline of 2 s is too short to assess; give it at least 5 s.");
    }

    @Test
    void rejectsNamesThatCannotNameADirectory() {
        assertThatThrownBy(() -> Experiment.named("Redis Timeouts!", "x"))
                .hasMessage("Experiment name must be lower-case letters, digits and dashes, such as 'redis-timeouts',"
                        + " but was 'Redis Timeouts!'.");
    }

    @Test
    void theCatalogueDeclaresItsTargetsSoTheyAreCheckedBeforeAnyContainerStarts() {
        Experiment experiment = RedisTimeouts.experiment();

        assertThat(experiment.faults().get(0).targetName()).contains("redis");
        assertThat(experiment.environment().targetNames()).contains(DemoTradingSystem.TARGETS);
        assertThat(RedisTimeouts.negativeControl().environment().targetNames()).contains(DemoTradingSystem.TARGETS);
    }

    @Test
    void rejectsAFaultOnATargetTheEnvironmentDoesNotHave() {
        assertThatThrownBy(() -> build(FaultSource.on("rediss", NetworkFaults::timeout), new OrderTraffic(),
                Criteria.successRate().above(99)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Experiment 'checked': its fault targets 'rediss', but the environment has no such target;"
                        + " it has [api, redis, postgres, exchange]. Use one of those names.");
    }

    @Test
    void aLambdaFaultIsCheckedOnlyOnceTheEnvironmentRuns() {
        Experiment experiment = build(environment -> NetworkFaults.timeout(environment.target("rediss")),
                new OrderTraffic(), Criteria.successRate().above(99));

        assertThat(experiment.faults().get(0).targetName()).isEmpty();
    }

    @Test
    void rejectsTrafficWhoseSharesDoNotAddUpToOne() {
        Traffic lopsided = ledger -> List.of(request("place order", 0.5), request("read order", 0.4));

        assertThatThrownBy(() -> build(FaultSource.on("redis", NetworkFaults::timeout), lopsided,
                Criteria.successRate().above(99)))
                .hasMessage("Experiment 'checked': the traffic's shares add up to 0.9, not 1: 'place order' 0.5,"
                        + " 'read order' 0.4. Each share is a fraction of the total rate; make them add up to 1.");
    }

    @Test
    void acceptsSharesThatAddUpToOneWithinRounding() {
        Traffic thirds = ledger -> List.of(request("a", 1.0 / 3), request("b", 1.0 / 3), request("c", 1.0 / 3));

        assertThat(build(FaultSource.on("redis", NetworkFaults::timeout), thirds, Criteria.successRate().above(99)))
                .isNotNull();
    }

    @Test
    void rejectsTrafficThatNamesASeriesTwice() {
        Traffic twice = ledger -> List.of(request("orders", 0.5), request("orders", 0.5));

        assertThatThrownBy(() -> build(FaultSource.on("redis", NetworkFaults::timeout), twice,
                Criteria.successRate().above(99)))
                .hasMessage("Experiment 'checked': its traffic names series [orders] more than once; each request needs"
                        + " its own name, or their figures are reported as one.");
    }

    @Test
    void rejectsAShareGivenAsAPercentage() {
        assertThatThrownBy(() -> request("place order", 50))
                .hasMessage("Traffic request 'place order': a share is a fraction of the total rate, not a percentage:"
                        + " 50 means 5000 %; for 50 % write 0.5.");
    }

    @Test
    void rejectsALatencyThresholdNoRequestCanReach() {
        assertThatThrownBy(() -> build(FaultSource.on("redis", NetworkFaults::timeout), new OrderTraffic(),
                Criteria.latency().p95().below(ofSeconds(100))))
                .hasMessage("Experiment 'checked': objective 'p95 latency < 100,000 ms' can never be violated: requests are"
                        + " given up after 5 s, so none takes longer from its send. Did you mean milliseconds"
                        + " (Duration.ofMillis(..))? Otherwise keep the threshold below the request timeout, or raise it"
                        + " with OpenLoad.withRequestTimeout(..).");
    }

    @Test
    void rejectsAThroughputAboveTheOfferedRate() {
        assertThatThrownBy(() -> build(FaultSource.on("redis", NetworkFaults::timeout), new OrderTraffic(),
                Criteria.throughput().atLeast(95)))
                .hasMessage("Experiment 'checked': objective 'throughput >= 95.0 requests/s' can never be met: the load"
                        + " offers 50 requests/s. Throughput is in successful requests per second, not a percentage of"
                        + " the rate: for 95 % of it write atLeast(47.5).");
    }

    @Test
    void aDeclaredEnvironmentThatStartsWithoutADeclaredTargetIsStoppedAndRejected() {
        FakeEnvironment started = new FakeEnvironment("api", "redis");
        EnvironmentSource source = EnvironmentSource.of(List.of("api", "redis", "postgres"), () -> started);

        assertThatThrownBy(source::start)
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessage("Environment 'fake' was declared with targets [api, redis, postgres] but started with"
                        + " [api, redis]; it has been stopped. Make the declaration match the environment.");
        assertThat(started.closes).hasValue(1);
    }

    private static Experiment build(FaultSource fault, Traffic traffic, Criterion criterion) {
        return Experiment.named("checked", "checked before it starts")
                .given(notStarted())
                .when(traffic, OpenLoad.ratePerSecond(50))
                .inject(fault, FaultSchedule.baseline(ofSeconds(10)).fault(ofSeconds(5)).observe(ofSeconds(10)))
                .then(ObjectiveSet.builder().during(Phase.BASELINE, criterion).build());
    }

    private static EnvironmentSource notStarted() {
        return EnvironmentSource.of(DemoTradingSystem.TARGETS, () -> {
            throw new AssertionError("never started");
        });
    }

    private static TrafficRequest request(String series, double share) {
        return new TrafficRequest(series, share, () -> {
            throw new AssertionError("no Gatling request is built");
        }, Set.of(200), Optional.empty());
    }
}
