package dev.gameday.environments.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import dev.gameday.environments.TargetEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * Real containers that die by themselves, watched through the engine's event stream: one the kernel OOM-kills under a
 * 32 MB limit, one that exits 3. Uses the local Debian image, no pulls.
 */
class ContainerEventsIT {

    private static final String IMAGE = "gameday.local/debian:bookworm";
    private static final long MEMORY = 32L * 1024 * 1024;

    private final DockerClient docker = DockerClientFactory.instance().client();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private final List<TargetEvent> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void removeContainers() {
        for (String id : created) {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    @Test
    void aContainerTheKernelKillsForMemoryDiesWithExitCode137AndOomKilled() {
        String id = create("hog", HostConfig.newHostConfig().withMemory(MEMORY).withMemorySwap(MEMORY),
                "tail", "/dev/zero");
        Instant before = Instant.now().minusSeconds(1);

        try (ContainerEvents watch = ContainerEvents.watch(docker, Map.of(id, "hog"), heard::add)) {
            docker.startContainerCmd(id).exec();
            TargetEvent died = awaitDeath();

            assertThat(died.target()).isEqualTo("hog");
            assertThat(died.exitCode()).isEqualTo(OptionalInt.of(137));
            assertThat(died.oomKilled()).as("the kernel killed it for lack of memory").isTrue();
            assertThat(died.describe()).isEqualTo("exit code 137, OOM-killed");
            assertThat(died.at()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
            assertThat(heard).extracting(TargetEvent::kind).as("started, then the engine's oom event, then died")
                    .containsSubsequence(TargetEvent.Kind.STARTED, TargetEvent.Kind.DIED)
                    .contains(TargetEvent.Kind.OOM_KILLED);
        }
    }

    @Test
    void aContainerThatExitsIsDiedWithItsExitCodeAndNotOom() {
        String id = create("quitter", HostConfig.newHostConfig(), "sh", "-c", "exit 3");
        String other = create("bystander", HostConfig.newHostConfig(), "sh", "-c", "exit 5");

        try (ContainerEvents watch = ContainerEvents.watch(docker, Map.of(id, "quitter"), heard::add)) {
            docker.startContainerCmd(other).exec();
            docker.startContainerCmd(id).exec();
            TargetEvent died = awaitDeath();

            assertThat(died.target()).isEqualTo("quitter");
            assertThat(died.exitCode()).isEqualTo(OptionalInt.of(3));
            assertThat(died.oomKilled()).isFalse();
            assertThat(died.describe()).isEqualTo("exit code 3");
        }
        assertThat(heard).as("only the watched container").allMatch(event -> event.target().equals("quitter"));
    }

    @Test
    void hearsNothingAfterItIsClosed() {
        String id = create("late", HostConfig.newHostConfig(), "sh", "-c", "exit 4");
        ContainerEvents.watch(docker, Map.of(id, "late"), heard::add).close();

        docker.startContainerCmd(id).exec();
        docker.waitContainerCmd(id).start().awaitStatusCode();

        assertThat(heard).isEmpty();
    }

    private TargetEvent awaitDeath() {
        Awaitility.await("the container's death").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> heard.stream().anyMatch(event -> event.kind() == TargetEvent.Kind.DIED));
        return heard.stream().filter(event -> event.kind() == TargetEvent.Kind.DIED).findFirst().orElseThrow();
    }

    private String create(String name, HostConfig host, String... command) {
        Map<String, String> labels = new HashMap<>(DockerClientFactory.DEFAULT_LABELS);
        labels.put(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID);
        String id = docker.createContainerCmd(IMAGE).withCmd(command).withHostConfig(host).withLabels(labels)
                .withName("gameday-events-it-" + name + "-" + System.nanoTime()).exec().getId();
        created.add(id);
        return id;
    }
}
