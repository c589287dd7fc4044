package dev.gameday.scenarios.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.Flaw;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.demo.DemoTradingSystem;
import dev.gameday.faults.Fault;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FakeEnvironment;
import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import dev.gameday.scenarios.catalogue.OrderTraffic;
import dev.gameday.scenarios.catalogue.OrdersTable;
import dev.gameday.scenarios.catalogue.RedisTimeouts;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue's files equal the Java catalogue in every parameter, so a file to copy can never drift from it. */
class CatalogueFilesTest {

    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @Test
    void redisTimeoutsFileIsTheJavaExperiment() {
        assertSameExperiment(ExperimentFile.read(EXAMPLES.resolve("catalogue/redis-timeouts.yaml")),
                RedisTimeouts.experiment(), Set.of());
    }

    @Test
    void negativeControlFileIsTheJavaNegativeControl() {
        assertSameExperiment(ExperimentFile.read(EXAMPLES.resolve("catalogue/redis-timeouts-negative-control.yaml")),
                RedisTimeouts.negativeControl(), Set.of(Flaw.NO_REDIS_TIMEOUT));
    }

    private static void assertSameExperiment(Experiment file, Experiment java, Set<Flaw> flaws) {
        assertThat(file.name()).isEqualTo(java.name());
        assertThat(file.description()).isEqualTo(java.description());
        assertThat(file.environment()).isEqualTo(new DemoEnvironment(flaws));
        assertThat(file.load()).isEqualTo(java.load());
        assertThat(file.schedule()).isEqualTo(java.schedule());
        assertThat(file.parameters()).isEqualTo(java.parameters());
        assertThat(file.objectives()).isEqualTo(java.objectives());
        assertThat(file.objectives().objectives()).extracting(o -> o.scope() + ": " + o.name())
                .isEqualTo(java.objectives().objectives().stream().map(o -> o.scope() + ": " + o.name()).toList());
        assertThat(file.durability()).hasValueSatisfying(d -> assertThat(d).isInstanceOf(OrdersTable.class));
        assertThat(file.durability().orElseThrow().store()).isEqualTo(java.durability().orElseThrow().store());

        Environment demo = demoTargets();
        Fault fileFault = file.faults().get(0).on(demo);
        Fault javaFault = java.faults().get(0).on(demo);
        assertThat(fileFault.name()).isEqualTo(javaFault.name());
        assertThat(fileFault.describe()).isEqualTo(javaFault.describe());
        assertThat(fileFault.minimumDuration()).isEqualTo(javaFault.minimumDuration());

        WriteLedger ledger = new WriteLedger();
        List<TrafficRequest> fileRequests = file.traffic().requests(ledger);
        List<TrafficRequest> javaRequests = new OrderTraffic().requests(ledger);
        assertThat(fileRequests).extracting(TrafficRequest::series, TrafficRequest::share,
                        TrafficRequest::acceptedStatuses, TrafficRequest::writeIdHeader)
                .isEqualTo(javaRequests.stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.series(), r.share(),
                        r.acceptedStatuses(), r.writeIdHeader())).toList());
        FileTraffic traffic = (FileTraffic) file.traffic();
        assertThat(traffic.seed()).hasValueSatisfying(seed -> {
            assertThat(seed.request().name()).isEqualTo(OrderTraffic.PLACE_ORDER);
            assertThat(seed.count()).isEqualTo(OrderTraffic.SEED_ORDERS);
        });
    }

    /** The demo system's targets at made-up addresses: enough to build its faults, nothing runs. */
    static Environment demoTargets() {
        // DemoEnvironment.TARGETS is in the demo system's order, the entry point first
        List<Target> targets = DemoEnvironment.TARGETS.values().stream()
                .map(t -> new Target(t.name(), t.protocol(), new Endpoint("localhost", t.port()),
                        t.proxied() ? Optional.of(new NetworkLink(new Endpoint("localhost", 8474), t.name(),
                                new Endpoint("localhost", 20_000 + t.port()))) : Optional.empty(), Optional.empty()))
                .toList();
        return new FakeEnvironment(DemoTradingSystem.NAME, targets);
    }

    @Test
    void demoTargetsAreTheOnesTheDemoSystemHandsOut() {
        assertThat(DemoEnvironment.TARGETS.keySet()).containsExactlyElementsOf(DemoTradingSystem.TARGETS);
        assertThat(new DemoEnvironment(Set.of()).targetNames()).contains(DemoTradingSystem.TARGETS);
        assertThat(DemoEnvironment.TARGETS.get("redis").protocol()).isEqualTo(Protocol.REDIS);
    }
}
