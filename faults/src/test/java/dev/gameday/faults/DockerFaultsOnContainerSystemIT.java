package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.containers.ContainerSystem;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.internal.DockerEngine;
import dev.gameday.faults.internal.Probes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker faults on a {@link ContainerSystem} service declared with {@code restartOnFailure()}, behind Toxiproxy and with
 * ContainerSystem's own CPU and memory limits: the target handed out before the kill (its own endpoint and its proxy)
 * still reaches Redis after Docker restarted it, the system's event watch reports the death and the start, and a CPU
 * throttle on a container limited with NanoCpus is restored to exactly those.
 */
class DockerFaultsOnContainerSystemIT {

    private static ContainerSystem system;
    private static Target redis;

    @TempDir
    Path journalDirectory;

    @BeforeAll
    static void start() {
        system = ContainerSystem.named("docker-faults")
                .service("redis", Images.REDIS).port(6379, Protocol.REDIS)
                        .waitingForLog(".*Ready to accept connections.*")
                        .memory(128 * ContainerSystem.MB).cpus(1.0).restartOnFailure()
                .proxied("redis")
                .entryPoint("redis")
                .start();
        redis = system.target("redis");
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aKilledServiceComesBackAtTheSameAddresses() throws Exception {
        String id = redis.containerId().orElseThrow();
        InspectContainerResponse before = DockerEngine.inspect(id);
        assertThat(before.getHostConfig().getRestartPolicy().getName()).isEqualTo("on-failure");
        assertThat(ping(redis.endpoint())).as("precondition: its own endpoint answers").isPresent();
        assertThat(ping(redis.clientEndpoint())).as("precondition: its proxy answers").isPresent();
        List<TargetEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = system.watch(events::add)) {
            long start = System.nanoTime();
            try (ActiveFault fault = DockerFaults.kill(redis).journaledIn(FaultJournal.at(journalDirectory)).inject()) {
                System.out.printf("MEASURED kill (ContainerSystem): inject to verified effect: %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);
            }
            long recovery = System.nanoTime();
            await("Redis answers again at the address handed out before the kill").atMost(Duration.ofSeconds(30))
                    .until(() -> ping(redis.endpoint()).isPresent() && ping(redis.clientEndpoint()).isPresent());
            System.out.printf("MEASURED kill (ContainerSystem): restart to answering at the same addresses: %d ms%n",
                    (System.nanoTime() - recovery) / 1_000_000);
            await("the system's watch reports the start").atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.kind() == TargetEvent.Kind.STARTED));
        }
        InspectContainerResponse after = DockerEngine.inspect(id);
        assertThat(after.getRestartCount()).isEqualTo(before.getRestartCount() + 1);
        assertThat(DockerEngine.currentEndpoint(after, redis.endpoint().host(), 6379)).contains(redis.endpoint());
        assertThat(events).anySatisfy(e -> {
            assertThat(e.target()).isEqualTo("redis");
            assertThat(e.kind()).isEqualTo(TargetEvent.Kind.DIED);
            assertThat(e.exitCode()).hasValue(137);
        });
        system.checkHealthy();
    }

    @Test
    void aCpuThrottleOnNanoCpusIsRestoredExactly() {
        String id = redis.containerId().orElseThrow();
        HostConfig before = DockerEngine.inspect(id).getHostConfig();
        assertThat(before.getNanoCPUs()).isEqualTo(1_000_000_000L);
        try (ActiveFault fault = DockerFaults.cpuThrottle(redis, 0.25).journaledIn(FaultJournal.at(journalDirectory))
                .inject()) {
            assertThat(DockerEngine.inspect(id).getHostConfig().getNanoCPUs()).isEqualTo(250_000_000L);
        }
        HostConfig after = DockerEngine.inspect(id).getHostConfig();
        assertThat(List.of(after.getNanoCPUs(), after.getCpuQuota(), after.getCpuPeriod()))
                .isEqualTo(List.of(before.getNanoCPUs(), before.getCpuQuota(), before.getCpuPeriod()));
    }

    private static Optional<Duration> ping(Endpoint endpoint) {
        return Probes.forProtocol(Protocol.REDIS, endpoint).roundTrip(Duration.ofMillis(500));
    }
}
