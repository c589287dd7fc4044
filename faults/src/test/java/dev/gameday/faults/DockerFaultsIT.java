package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.environments.images.Images;
import dev.gameday.environments.internal.ContainerEvents;
import dev.gameday.faults.internal.DockerEngine;
import dev.gameday.faults.internal.Probes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Docker faults against a real Redis container with a restart policy and a 256 MB memory limit, verified from
 * Docker's own view (inspect, die events, limits read back, the cgroup's files and Docker's stats) and with real
 * Redis PINGs. The target has no proxy in front: after a kill or a restart its ephemeral host port changes, and each
 * test reads it again.
 */
class DockerFaultsIT {

    private static final long MB = 1024L * 1024;
    private static final long LIMIT = 256 * MB;
    private static final GenericContainer<?> REDIS = new GenericContainer<>(Images.REDIS)
            .withExposedPorts(6379)
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                    .withRestartPolicy(RestartPolicy.onFailureRestart(20))
                    .withMemory(LIMIT).withMemorySwap(LIMIT))
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));

    @TempDir
    Path journalDirectory;
    private FaultJournal journal;

    @BeforeAll
    static void start() {
        REDIS.start();
    }

    @AfterAll
    static void stop() {
        REDIS.stop();
    }

    @BeforeEach
    void redisAnswers() {
        journal = FaultJournal.at(journalDirectory);
        await("Redis answers PING before the test").atMost(Duration.ofSeconds(30))
                .until(() -> ping(redisEndpoint()).isPresent());
    }

    @Test
    void aKillIsACrashThatTheRestartPolicyUndoes() throws Exception {
        InspectContainerResponse before = inspect();
        List<TargetEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = ContainerEvents.watch(List.of(target()), events::add)) {
            long start = System.nanoTime();
            try (ActiveFault fault = DockerFaults.kill(target()).journaledIn(journal).inject()) {
                log("kill: inject to verified effect", start);
                assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
            }
            assertThat(DockerEngine.deathsSince(REDIS.getContainerId(), Instant.now().minusSeconds(60)))
                    .as("Docker's die event: the main process ended with 128 + SIGKILL").contains(137);
            long recovery = System.nanoTime();
            await("Docker restarts the killed container and Redis answers again").atMost(Duration.ofSeconds(30))
                    .until(() -> isRunning() && ping(redisEndpoint()).isPresent());
            log("kill: restart to answering again", recovery);
            InspectContainerResponse after = inspect();
            assertThat(after.getRestartCount()).as("restart count").isEqualTo(before.getRestartCount() + 1);
            assertThat(after.getState().getStartedAt()).isNotEqualTo(before.getState().getStartedAt());
            assertThat(after.getState().getPidLong()).isNotEqualTo(before.getState().getPidLong());
            await("the event stream reports the death and the start").atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.kind() == TargetEvent.Kind.STARTED));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(TargetEvent.Kind.DIED);
                assertThat(e.exitCode()).hasValue(137);
            });
        }
        assertThat(journal.entries()).as("an event leaves nothing in the journal").isEmpty();
    }

    @Test
    void anOomKillIsTheKernelEndingTheMainProcessAndTheLimitIsRestored() throws Exception {
        InspectContainerResponse before = inspect();
        List<TargetEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = ContainerEvents.watch(List.of(target()), events::add)) {
            long start = System.nanoTime();
            try (ActiveFault fault = DockerFaults.oomKill(target()).journaledIn(journal).inject()) {
                log("oom-kill: inject to verified effect", start);
                assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
            }
            InspectContainerResponse killed = inspect();
            assertThat(killed.getState().getOOMKilled()).as("Docker: OOMKilled").isTrue();
            assertThat(DockerEngine.deathsSince(REDIS.getContainerId(), Instant.now().minusSeconds(60)))
                    .as("Docker's die event: the main process was SIGKILLed (137), so the container died").contains(137);
            assertThat(killed.getHostConfig().getMemory()).as("memory limit restored").isEqualTo(LIMIT);
            assertThat(killed.getHostConfig().getMemorySwap()).as("memory+swap limit restored").isEqualTo(LIMIT);
            long recovery = System.nanoTime();
            await("Docker restarts it and Redis answers again").atMost(Duration.ofSeconds(30))
                    .until(() -> isRunning() && ping(redisEndpoint()).isPresent());
            log("oom-kill: restart to answering again", recovery);
            InspectContainerResponse after = inspect();
            assertThat(after.getRestartCount()).isEqualTo(before.getRestartCount() + 1);
            assertThat(after.getState().getStartedAt()).isNotEqualTo(before.getState().getStartedAt());
            assertThat(cgroup("memory/memory.limit_in_bytes")).as("the kernel's limit, read back").isEqualTo(LIMIT);
            assertThat(cgroup("memory/memory.memsw.limit_in_bytes")).isEqualTo(LIMIT);
            assertThat(exec("cat /proc/1/oom_score_adj")).as("the new main process has the default OOM score")
                    .isEqualTo("0");
            await("the event stream reports the OOM kill").atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.kind() == TargetEvent.Kind.STARTED));
            assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(TargetEvent.Kind.OOM_KILLED));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(TargetEvent.Kind.DIED);
                assertThat(e.exitCode()).hasValue(137);
                assertThat(e.oomKilled()).isTrue();
            });
        }
    }

    @Test
    void aPauseFreezesRedisWhileItsPortStillAcceptsConnections() throws Exception {
        Endpoint redis = redisEndpoint();
        long start = System.nanoTime();
        try (ActiveFault fault = DockerFaults.pause(target()).journaledIn(journal).inject()) {
            log("pause: inject to verified effect", start);
            assertThat(inspect().getState().getPaused()).as("Docker: Paused").isTrue();
            assertThat(connects(redis)).as("TCP connect still succeeds").isTrue();
            assertThat(ping(redis)).as("PING gets no answer").isEmpty();
            start = System.nanoTime();
        }
        log("pause: revert to verified restore", start);
        assertThat(inspect().getState().getPaused()).isFalse();
        assertThat(ping(redis)).as("PING answered again").isPresent();
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void aRestartStartsRedisAgain() throws Exception {
        InspectContainerResponse before = inspect();
        List<TargetEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable watch = ContainerEvents.watch(List.of(target()), events::add)) {
            long start = System.nanoTime();
            try (ActiveFault fault = DockerFaults.restart(target()).journaledIn(journal).inject()) {
                log("restart: inject to verified effect (answering again)", start);
            }
            await("the event stream reports the restart").atMost(Duration.ofSeconds(10))
                    .until(() -> events.stream().anyMatch(e -> e.kind() == TargetEvent.Kind.STARTED));
        }
        assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(TargetEvent.Kind.DIED));
        InspectContainerResponse after = inspect();
        assertThat(after.getState().getStartedAt()).isNotEqualTo(before.getState().getStartedAt());
        assertThat(after.getState().getPidLong()).isNotEqualTo(before.getState().getPidLong());
        assertThat(ping(redisEndpoint())).isPresent();
    }

    @Test
    void aCpuThrottleLimitsTheCgroupAndItsRevertRestoresTheLimitsExactly() throws Exception {
        HostConfig before = inspect().getHostConfig();
        long quotaBefore = cgroup("cpu/cpu.cfs_quota_us");
        long periodBefore = cgroup("cpu/cpu.cfs_period_us");
        long start = System.nanoTime();
        try (ActiveFault fault = DockerFaults.cpuThrottle(target(), 0.2).journaledIn(journal).inject()) {
            log("cpu-throttle: inject to verified effect", start);
            HostConfig throttled = inspect().getHostConfig();
            assertThat(throttled.getCpuQuota()).isEqualTo(20_000L);
            assertThat(throttled.getCpuPeriod()).isEqualTo(100_000L);
            assertThat(cgroup("cpu/cpu.cfs_quota_us")).as("the kernel's quota").isEqualTo(20_000L);
            long throttledBefore = cpuStat("nr_throttled");
            long cpuBefore = cgroup("cpuacct/cpuacct.usage");
            exec("timeout 2 sh -c 'while :; do :; done'; true");
            long cpuUsed = cgroup("cpuacct/cpuacct.usage") - cpuBefore;
            System.out.printf("cpu-throttle: a 2 s busy loop under 0.2 CPUs used %d ms of CPU%n", cpuUsed / 1_000_000);
            assertThat(cpuStat("nr_throttled")).as("a busy loop in the container is throttled by the kernel")
                    .isGreaterThan(throttledBefore);
            assertThat(cpuUsed).as("CPU time of a 2 s busy loop under 0.2 CPUs (0.4 s; unthrottled it takes 2 s)")
                    .isLessThan(Duration.ofMillis(1_000).toNanos());
            start = System.nanoTime();
        }
        log("cpu-throttle: revert to verified restore", start);
        assertThat(cgroup("cpu/cpu.cfs_quota_us")).as("the kernel's quota, as before").isEqualTo(quotaBefore);
        assertThat(cgroup("cpu/cpu.cfs_period_us")).as("the kernel's period, as before").isEqualTo(periodBefore);
        HostConfig after = inspect().getHostConfig();
        assertThat(after.getNanoCPUs()).isEqualTo(before.getNanoCPUs());
        // Docker's API reads 0 as "unchanged", so "no quota" comes back as the kernel's -1: the same, no limit.
        assertThat(Math.max(0, after.getCpuQuota())).isEqualTo(Math.max(0, before.getCpuQuota()));
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void memoryPressureTakesMemoryInTheCgroupUntilReverted() throws Exception {
        long before = dockerStatsMemory();
        long start = System.nanoTime();
        try (ActiveFault fault = DockerFaults.memoryPressure(target(), 128 * MB).journaledIn(journal).inject()) {
            log("memory-pressure: inject to verified effect", start);
            long during = dockerStatsMemory();
            System.out.printf("memory-pressure: Docker stats usage %d MB before, %d MB during%n", before / MB,
                    during / MB);
            assertThat(during - before).as("Docker stats: usage rose by about 128 MB").isBetween(110 * MB, 160 * MB);
            assertThat(ping(redisEndpoint())).as("Redis still answers").isPresent();
            start = System.nanoTime();
        }
        log("memory-pressure: revert to verified restore", start);
        assertThat(dockerStatsMemory() - before).as("usage fell back").isLessThan(32 * MB);
        assertThat(exec("ls /tmp | grep -c gameday-pressure; true")).isEqualTo("0");
    }

    @Test
    void memoryPressureIsRevertedWhileTheTargetItselfGrewInTheMeantime() throws Exception {
        // a leaking service does not give its own growth back when the pressure ends: the revert is verified by the
        // holder's exit, not by the container's usage returning to where it was
        try {
            try (ActiveFault fault = DockerFaults.memoryPressure(target(), 64 * MB).journaledIn(journal).inject()) {
                long holding = dockerStatsMemory();
                DockerEngine.execDetached(REDIS.getContainerId(), "sh", "-c", "echo $$ > /tmp/growth.pid; (head -c "
                        + 48 * MB + " /dev/zero; exec sleep 600) | tail -c " + 48 * MB);
                await("the target's own 48 MB").atMost(Duration.ofSeconds(20))
                        .until(() -> dockerStatsMemory() - holding > 40 * MB);
            }
            assertThat(journal.entries()).as("reverted and verified, with the usage still 48 MB up").isEmpty();
            assertThat(exec("ls /tmp | grep -c gameday-pressure; true")).isEqualTo("0");
        } finally {
            exec("kill -TERM -$(cat /tmp/growth.pid) 2>/dev/null; rm -f /tmp/growth.pid; true");
        }
    }

    @Test
    void refusesWhatWouldGoWrongBeforeChangingAnything() throws Exception {
        InspectContainerResponse before = inspect();
        assertThatThrownBy(() -> DockerFaults.memoryPressure(target(), 300 * MB).journaledIn(journal).inject())
                .isInstanceOf(FaultException.class).hasMessageContaining("while its limit is 256.0 MB")
                .hasMessageContaining("Nothing was applied");
        try (GenericContainer<?> noPolicy = new GenericContainer<>(Images.REDIS).withExposedPorts(6379)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1))) {
            noPolicy.start();
            Target dies = new Target("no-policy", Protocol.REDIS, new Endpoint(noPolicy.getHost(),
                    noPolicy.getMappedPort(6379)), Optional.empty(), Optional.of(noPolicy.getContainerId()));
            assertThatThrownBy(() -> DockerFaults.kill(dies).journaledIn(journal).inject())
                    .isInstanceOf(FaultException.class).hasMessageContaining("restart policy")
                    .hasMessageContaining("found 'no'").hasMessageContaining("restartOnFailure()")
                    .hasMessageContaining("Nothing was applied");
            assertThatThrownBy(() -> DockerFaults.oomKill(dies).journaledIn(journal).inject())
                    .isInstanceOf(FaultException.class).hasMessageContaining("restart policy");
            assertThat(DockerEngine.inspect(noPolicy.getContainerId()).getState().getRunning()).isTrue();
        }
        assertThat(inspect().getState().getStartedAt()).isEqualTo(before.getState().getStartedAt());
        try (GenericContainer<?> noShell = new GenericContainer<>(Images.TOXIPROXY).withExposedPorts(8474)
                .waitingFor(Wait.forHttp("/version").forPort(8474))) {
            noShell.start();
            Target toxiproxy = new Target("toxiproxy", Protocol.HTTP, new Endpoint(noShell.getHost(),
                    noShell.getMappedPort(8474)), Optional.empty(), Optional.of(noShell.getContainerId()));
            assertThatThrownBy(() -> DockerFaults.memoryPressure(toxiproxy, 16 * MB).journaledIn(journal).inject())
                    .isInstanceOf(FaultException.class).hasMessageContaining("in the image of 'toxiproxy'")
                    .hasMessageContaining("Nothing was applied");
        }
        Target plain = new Target("plain", Protocol.REDIS, redisEndpoint(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> DockerFaults.pause(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONTAINER");
        assertThat(journal.entries()).isEmpty();
    }

    /** A run killed mid-fault leaves its journal entry; the cleanup of another process reverts from it alone. */
    @Test
    void theJournalCleanupRevertsWhatAKilledRunLeft() throws Exception {
        HostConfig before = inspect().getHostConfig();
        long quotaBefore = cgroup("cpu/cpu.cfs_quota_us");
        long usageBefore = dockerStatsMemory();

        applyAsAKilledRun(DockerFaults.cpuThrottle(target(), 0.3), "cpu");
        applyAsAKilledRun(DockerFaults.pause(target()), "pause");
        assertThat(inspect().getState().getPaused()).isTrue();
        assertThat(inspect().getHostConfig().getCpuQuota()).isEqualTo(30_000L);

        List<String> done = journal.cleanup();

        assertThat(done).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("reverted"));
        assertThat(inspect().getState().getPaused()).isFalse();
        assertThat(cgroup("cpu/cpu.cfs_quota_us")).isEqualTo(quotaBefore);
        assertThat(Math.max(0, inspect().getHostConfig().getCpuQuota())).isEqualTo(Math.max(0, before.getCpuQuota()));
        assertThat(journal.entries()).isEmpty();

        applyAsAKilledRun(DockerFaults.memoryPressure(target(), 64 * MB), "memory");
        await("the side process holds the memory").atMost(Duration.ofSeconds(20))
                .until(() -> dockerStatsMemory() - usageBefore > 50 * MB);
        assertThat(journal.cleanup()).singleElement().asString().contains("stopped");
        await("the memory is given back").atMost(Duration.ofSeconds(20))
                .until(() -> dockerStatsMemory() - usageBefore < 24 * MB);

        // an OOM kill whose run died after lowering the limit, before restoring it
        Fault oom = DockerFaults.oomKill(target());
        AppliedState state = disruption(oom).prepare();
        DockerEngine.client().updateContainerCmd(REDIS.getContainerId()).withMemory(200 * MB).withMemorySwap(200 * MB)
                .exec();
        writeEntryOfADeadProcess(oom, state);
        assertThat(journal.cleanup()).singleElement().asString().contains("restored to " + LIMIT);
        assertThat(inspect().getHostConfig().getMemory()).isEqualTo(LIMIT);
        assertThat(cgroup("memory/memory.limit_in_bytes")).isEqualTo(LIMIT);
        assertThat(ping(redisEndpoint())).isPresent();
    }

    private void applyAsAKilledRun(Fault fault, String what) throws Exception {
        Disruption disruption = disruption(fault);
        AppliedState state = disruption.prepare();
        writeEntryOfADeadProcess(fault, state);
        disruption.apply(state);
    }

    private static Disruption disruption(Fault fault) throws ReflectiveOperationException {
        var field = Fault.class.getDeclaredField("disruption");
        field.setAccessible(true);
        return (Disruption) field.get(fault);
    }

    private void writeEntryOfADeadProcess(Fault fault, AppliedState state) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        Properties entry = new Properties();
        entry.setProperty("fault", fault.name());
        entry.setProperty("description", fault.describe());
        entry.setProperty("owner.pid", Long.toString(finished.pid()));
        entry.setProperty("recorded", Instant.now().toString());
        entry.setProperty("backend", state.backend());
        state.values().forEach((key, value) -> entry.setProperty("value." + key, value));
        Files.createDirectories(journalDirectory);
        try (OutputStream out = Files.newOutputStream(journalDirectory.resolve(fault.name() + "-"
                + System.nanoTime() + ".fault"))) {
            entry.store(out, "written by hand: a run killed mid-fault");
        }
    }

    private static Target target() {
        return new Target("redis", Protocol.REDIS, redisEndpoint(), Optional.empty(),
                Optional.of(REDIS.getContainerId()));
    }

    /** Redis's host port now: it changes when the container restarts. */
    private static Endpoint redisEndpoint() {
        return DockerEngine.currentEndpoint(inspect(), REDIS.getHost(), 6379)
                .orElse(new Endpoint(REDIS.getHost(), 1));
    }

    private static InspectContainerResponse inspect() {
        return DockerEngine.inspect(REDIS.getContainerId());
    }

    private static boolean isRunning() {
        return Boolean.TRUE.equals(inspect().getState().getRunning());
    }

    private static Optional<Duration> ping(Endpoint redis) {
        return Probes.forProtocol(Protocol.REDIS, redis).roundTrip(Duration.ofMillis(500));
    }

    private static boolean connects(Endpoint endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String exec(String command) throws IOException {
        return DockerEngine.exec(REDIS.getContainerId(), Duration.ofSeconds(20), "sh", "-c", command).stdout().strip();
    }

    /** A cgroup v1 file as the container sees its own cgroup. */
    private static long cgroup(String file) throws IOException {
        return Long.parseLong(exec("cat /sys/fs/cgroup/" + file));
    }

    private static long cpuStat(String key) throws IOException {
        return Long.parseLong(exec("grep '^" + key + " ' /sys/fs/cgroup/cpu/cpu.stat | cut -d' ' -f2"));
    }

    /** The container's memory usage as Docker's stats report it. */
    private static long dockerStatsMemory() throws InterruptedException {
        var callback = new com.github.dockerjava.api.async.ResultCallback.Adapter<Statistics>() {
            volatile Statistics first;

            @Override
            public void onNext(Statistics statistics) {
                first = statistics;
            }
        };
        DockerEngine.client().statsCmd(REDIS.getContainerId()).withNoStream(true).exec(callback)
                .awaitCompletion(20, TimeUnit.SECONDS);
        return callback.first.getMemoryStats().getUsage();
    }

    private static void log(String what, long startNanos) {
        System.out.printf("MEASURED %s: %d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
