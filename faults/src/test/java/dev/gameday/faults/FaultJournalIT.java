package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.internal.Probes;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * A harness killed with {@code kill -9} while its fault is active leaves the fault applied on a container that
 * outlives it (this test's Toxiproxy, which the killed JVM did not start); the fault journal names it, and the next
 * run's cleanup reverts it.
 */
class FaultJournalIT {

    private static final int PROXY_PORT = 8666;
    private static final Network NETWORK = Network.newNetwork();
    private static final GenericContainer<?> REDIS = new GenericContainer<>(Images.REDIS)
            .withNetwork(NETWORK).withNetworkAliases("redis").withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
    private static final ToxiproxyContainer TOXIPROXY = new ToxiproxyContainer(Images.TOXIPROXY)
            .withCommand("-host=0.0.0.0").withNetwork(NETWORK);

    private static Proxy proxy;
    private static Endpoint proxied;

    @BeforeAll
    static void start() throws IOException {
        REDIS.start();
        TOXIPROXY.start();
        proxy = new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort())
                .createProxy("redis", "0.0.0.0:" + PROXY_PORT, "redis:6379");
        proxied = new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getMappedPort(PROXY_PORT));
    }

    @AfterAll
    static void stop() {
        TOXIPROXY.stop();
        REDIS.stop();
        NETWORK.close();
    }

    @Test
    void theNextRunsCleanupRevertsAFaultLeftByAHarnessKilledWithKillMinus9(@TempDir Path journalDirectory)
            throws Exception {
        Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JournalVictim.class.getName(),
                TOXIPROXY.getHost(), Integer.toString(TOXIPROXY.getControlPort()), "redis", proxied.host(),
                Integer.toString(proxied.port()), journalDirectory.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String toxic;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("the victim reports its fault active").startsWith("ACTIVE ");
            toxic = line.substring("ACTIVE ".length());

            assertThat(toxicNames()).containsExactly(toxic);
            assertThat(answers()).as("Redis hangs behind the toxic").isFalse();

            Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(victim.waitFor(10, TimeUnit.SECONDS)).as("the victim died").isTrue();
        } finally {
            victim.destroyForcibly();
        }
        assertThat(victim.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

        FaultJournal journal = FaultJournal.at(journalDirectory);
        assertThat(toxicNames()).as("the kill left the fault applied").containsExactly(toxic);
        assertThat(answers()).isFalse();
        assertThat(journal.leftovers()).singleElement().satisfies(entry -> {
            assertThat(entry.fault()).isEqualTo("redis-timeout");
            assertThat(entry.ownerPid()).isEqualTo(victim.pid());
            assertThat(entry.ownerAlive()).isFalse();
            assertThat(entry.state().value("toxics")).isEqualTo(toxic);
        });

        List<String> done = journal.cleanup();

        assertThat(done).singleElement().asString().startsWith("reverted 'redis-timeout'")
                .contains("toxic '" + toxic + "' removed from proxy 'redis'");
        assertThat(toxicNames()).as("no toxic left").isEmpty();
        assertThat(answers()).as("Redis answers through the proxy again").isTrue();
        assertThat(journal.entries()).isEmpty();
        try (var files = Files.list(journalDirectory)) {
            assertThat(files).as("no half-written entry either").isEmpty();
        }
    }

    @Test
    void cleanupLeavesTheFaultsOfARunThatIsStillGoingAlone(@TempDir Path journalDirectory) throws IOException {
        FaultJournal journal = FaultJournal.at(journalDirectory);
        Fault timeout = NetworkFaults.timeout(new dev.gameday.environments.Target("redis", Protocol.REDIS, proxied,
                        java.util.Optional.of(new dev.gameday.environments.NetworkLink(
                                new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getControlPort()), "redis", proxied)),
                        java.util.Optional.empty()))
                .journaledIn(journal);
        try (ActiveFault active = timeout.inject()) {
            assertThat(journal.entries()).singleElement().satisfies(entry -> assertThat(entry.ownerAlive()).isTrue());

            assertThat(journal.cleanup()).as("this process is alive: its fault is not a leftover").isEmpty();
            assertThat(toxicNames()).containsExactly(active.appliedState().value("toxics"));
        }
        assertThat(journal.entries()).as("a verified revert clears the entry").isEmpty();
        assertThat(toxicNames()).isEmpty();
    }

    private static List<String> toxicNames() throws IOException {
        return proxy.toxics().getAll().stream().map(Toxic::getName).toList();
    }

    private static boolean answers() {
        return Probes.forProtocol(Protocol.REDIS, proxied).roundTrip(Duration.ofMillis(500)).isPresent();
    }
}
