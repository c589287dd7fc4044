package dev.gameday.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.faults.internal.ToxiproxyDisruption;
import dev.gameday.reports.RunReport;
import dev.gameday.scenarios.internal.journal.RunRecord;
import dev.gameday.timeline.TimelineEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C against the real command line in a JVM of its own: during a fault, the shutdown hook reverts the fault,
 * verifies the revert, and only then stops the environment; while a finished run stops its environment, the JVM waits
 * for the stop. Either way nothing is left for the reaper when the JVM exits.
 *
 * <p>The evidence comes from outside the fork where it can: the Toxiproxy API of the fork's own environment, and
 * Docker's list of the containers carrying that environment's run label. Other tests may run environments on the same
 * machine at the same time; the fork's are told apart by the host port its fault probe printed.
 */
class InterruptIT {

    private static final String FAULT = "redis-timeout";
    private static final String TOXIC = ToxiproxyDisruption.TOXIC_PREFIX + FAULT;
    /** A JVM shut down by a signal exits with 128 plus the signal's number; SIGINT is 2. */
    private static final int EXIT_ON_SIGINT = 130;
    /** Environment start takes 30-60 s on a busy 2-core machine, then 6 s of warm-up and baseline. */
    private static final Duration FAULT_ACTIVE_WITHIN = Duration.ofMinutes(3);
    /** From the fault to the end of the report: the fault, 20 s of observation, the durability check, the report. */
    private static final Duration RUN_ENDS_WITHIN = Duration.ofMinutes(2);
    /** Reverting (probe until it answers) and stopping five containers. */
    private static final Duration EXIT_WITHIN = Duration.ofMinutes(1);
    /**
     * Testcontainers' reaper removes a dead JVM's containers and network about 10 s after the JVM's connection to it
     * dropped. Containers gone within this grace after the exit were stopped by the fork's shutdown hook, not by the
     * reaper: keep it well below those 10 s.
     */
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(2);
    /** Toxiproxy's HTTP API port inside its container. */
    private static final int TOXIPROXY_API_PORT = 8474;
    /** LiveProgress's line at 20 s into the run, in the fault phase. */
    private static final String LATER_FAULT_TICK = "+ 20.";
    private static final String RUN_LABEL = "dev.gameday.run";
    private static final String INTERRUPTED_LINE =
            "gameday: interrupted: reverting active faults, then stopping the environment";
    private static final Pattern PROBED_PROXY = Pattern.compile("Redis PING to (\\S+):(\\d+) through the proxy");

    @TempDir
    Path results;

    private Fork fork;

    @AfterEach
    void killTheForkIfATestStepFailed() {
        if (fork != null) {
            fork.kill();
        }
    }

    @Test
    void ctrlCDuringTheFaultRevertsAndVerifiesItThenStopsTheEnvironmentBeforeExiting() throws Exception {
        fork = startExperiment("60s"); // interrupted long before it ends
        String active = fork.awaitLine("fault '" + FAULT + "' active: ", FAULT_ACTIVE_WITHIN);
        ForkEnvironment environment = ForkEnvironment.probedIn(active);
        Toxiproxy toxiproxy = new Toxiproxy(environment.host(), environment.toxiproxyApiPort());
        assertThat(toxiproxy.redisToxics())
                .as("while the fault is active, the fork's Toxiproxy holds the timeout toxic on Redis")
                .hasValueSatisfying(toxics -> assertThat(toxics).anyMatch(toxic -> toxic.startsWith(TOXIC + "-")));

        ToxicWatch watch = ToxicWatch.start(toxiproxy);
        int status;
        Instant exited;
        List<Observation> observed;
        try {
            fork.interrupt();
            status = fork.awaitExit(EXIT_WITHIN);
            exited = Instant.now();
            assertGoneRightAfterExit(environment);
        } finally {
            observed = watch.stop();
        }

        assertThat(status).as("exit status of a JVM shut down by Ctrl-C; output:%n%s", fork.output())
                .isEqualTo(EXIT_ON_SIGINT);
        Observation lastAnswer = observed.stream().filter(Observation::answered).reduce((a, b) -> b).orElseThrow();
        assertThat(lastAnswer.toxics())
                .as("the last time the fork's Toxiproxy answered, just before the environment was stopped, no"
                        + " gameday toxic was left; observed: %s", observed)
                .hasValueSatisfying(toxics -> assertThat(toxics)
                        .noneMatch(toxic -> toxic.startsWith(ToxiproxyDisruption.TOXIC_PREFIX)));
        assertThat(observed)
                .as("Toxiproxy stopped answering before the fork exited: the fork stopped it, not the reaper")
                .anyMatch(o -> o.at().isAfter(lastAnswer.at()) && !o.answered() && o.at().isBefore(exited));
        List<String> output = fork.awaitOutputEnd();
        int interrupted = indexOf(output, INTERRUPTED_LINE);
        int reverted = indexOf(output, "fault '" + FAULT + "' reverted: ");
        assertThat(interrupted).as("the shutdown hook announced itself; output:%n%s", fork.output()).isNotNegative();
        assertThat(reverted).as("the revert was reported after the signal").isGreaterThan(interrupted);
        assertThat(output.get(reverted))
                .as("the revert was verified: the probe through the proxy got an answer again")
                .containsPattern("Redis PING to \\S+ through the proxy answered in [0-9.]+ ms");
        assertThat(output).as("nothing failed to revert").noneMatch(line -> line.contains("could not be reverted"));
        assertThat(output).as("the harness stopping the containers is not a target dying by itself")
                .noneMatch(line -> line.contains("target '") && line.contains("' died"));
    }

    /**
     * The run is over and the environment is being stopped, which takes seconds: Ctrl-C then must not cut the stop
     * short (the JVM exits as soon as its shutdown hooks are done), or the containers are left to the reaper.
     */
    @Test
    void ctrlCWhileTheFinishedRunStopsTheEnvironmentLetsTheStopFinishBeforeExiting() throws Exception {
        fork = startExperiment("2s");
        ForkEnvironment environment = ForkEnvironment.probedIn(
                fork.awaitLine("fault '" + FAULT + "' active: ", FAULT_ACTIVE_WITHIN));
        // printed last, right before the environment is stopped
        fork.awaitLine("Results written to ", RUN_ENDS_WITHIN);

        fork.interrupt();
        int status = fork.awaitExit(EXIT_WITHIN);
        assertGoneRightAfterExit(environment);

        assertThat(fork.awaitOutputEnd())
                .as("the signal came while the environment was being stopped, and the shutdown hook ran; output:%n%s",
                        fork.output())
                .anyMatch(line -> line.contains(INTERRUPTED_LINE));
        assertThat(status).as("exit status of a JVM shut down by Ctrl-C").isEqualTo(EXIT_ON_SIGINT);
    }

    /**
     * A killed JVM runs no hook: what it measured must still be there, read back as a partial record that never
     * passes, and its containers are left to the reaper.
     */
    @Test
    void killDashNineDuringTheFaultLeavesAPartialRecordThatNeverPasses() throws Exception {
        fork = startExperiment("60s");
        ForkEnvironment environment = ForkEnvironment.probedIn(
                fork.awaitLine("fault '" + FAULT + "' active: ", FAULT_ACTIVE_WITHIN));
        // Seconds reach the disk once no request in flight can still belong to them (the request timeout plus 2 s),
        // right after a progress tick (every 5 s): once the tick at 20 s is printed, the one at 15 s has written the
        // whole baseline (1-6 s).
        fork.awaitLine(LATER_FAULT_TICK, Duration.ofSeconds(40));

        fork.kill();
        assertThat(fork.awaitExit(EXIT_WITHIN)).as("exit status of a JVM killed with SIGKILL").isEqualTo(137);

        Path run;
        try (var runs = Files.list(results)) {
            run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        RunReport report = RunRecord.read(run);
        assertThat(report.evaluation().verdict()).as(report.evaluation().headline()).isEqualTo(Verdict.INVALID);
        assertThat(report.evaluation().invalidity()).first().asString()
                .as("the partial record says where it ends").startsWith("The record of this run ends at ");
        assertThat(report.timeline().events()).extracting(TimelineEvent::kind)
                .as("the events up to the kill were streamed as they happened")
                .contains(TimelineEvent.Kind.FAULT_INJECTING, TimelineEvent.Kind.FAULT_ACTIVE);
        assertThat(report.evaluation().phase(Phase.BASELINE).orElseThrow().total().requests())
                .as("the baseline's requests, measured before the kill, are all there").isGreaterThan(200);
        await("the reaper removes the killed run's containers").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(environment.containers()).isEmpty());
    }

    private Fork startExperiment(String fault) throws IOException {
        assumeThat(sigintIgnoredByThisJvm())
                .as("this JVM was started with SIGINT ignored (a background job of a non-interactive shell); a child"
                        + " inherits that and cannot receive Ctrl-C. Run the build in the foreground or with job control.")
                .isFalse();
        return Fork.start("run", "redis-timeouts", "--warmup", "1s", "--baseline", "5s", "--fault", fault,
                "--observe", "22s", "--rate", "50", "--results", results.toString());
    }

    /**
     * Checked at once after the exit, before anything else: Testcontainers' reaper would remove the containers too,
     * but only about 10 s after the fork died; gone within {@link #STOPPED_WITHIN} means the fork stopped them.
     */
    private static void assertGoneRightAfterExit(ForkEnvironment environment) {
        await("the fork's containers and network are gone right after it exited")
                .atMost(STOPPED_WITHIN).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(environment.containers())
                            .as("containers of run %s left after the fork exited", environment.run()).isEmpty();
                    assertThat(environment.networkExists())
                            .as("network %s left after the fork exited", environment.network()).isFalse();
                });
    }

    private static int indexOf(List<String> lines, String part) {
        return IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(part)).findFirst().orElse(-1);
    }

    /** Linux only: a signal ignored at exec stays ignored, and the JVM then installs no handler for it. */
    private static boolean sigintIgnoredByThisJvm() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("SigIgn:"))
                .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16))
                .anyMatch(ignored -> (ignored & (1L << (2 - 1))) != 0);
    }

    /** {@code GamedayCli} in a JVM of its own, started as {@code scripts/gameday} starts it. */
    private static final class Fork {

        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Fork(Process process) {
            this.process = process;
            this.reader = new Thread(this::readOutput, "interrupt-it-fork-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Fork start(String... arguments) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), GamedayCli.class.getName()));
            command.addAll(List.of(arguments));
            // The environment (DOCKER_HOST, TESTCONTAINERS_HOST_OVERRIDE, ...) is inherited; stderr is merged into
            // stdout so that the order of the lines is the order they were written in.
            ProcessBuilder fork = new ProcessBuilder(command).redirectErrorStream(true);
            // the fork's fault journal stays with the tests, never in the user's ~/.local/state/gameday
            fork.environment().put("GAMEDAY_STATE_DIR", Path.of("target", "gameday-state").toAbsolutePath().toString());
            return new Fork(fork.start());
        }

        private void readOutput() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    System.out.println("[fork] " + line);
                }
            } catch (IOException e) {
                lines.add("(reading the fork's output failed: " + e + ")");
            }
        }

        String awaitLine(String part, Duration timeout) {
            return await("the fork prints a line containing \"" + part + "\"")
                    .atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast("the fork exited before printing \"" + part + "\"", () -> !process.isAlive())
                    .until(() -> lines.stream().filter(line -> line.contains(part)).findFirst(), Optional::isPresent)
                    .orElseThrow();
        }

        /** Ctrl-C: SIGINT to the JVM; {@link Process#destroy()} would send SIGTERM. */
        void interrupt() throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
                    .as("kill -INT %d succeeded", process.pid()).isTrue();
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the fork exited within %s of Ctrl-C", timeout).isTrue();
            return process.exitValue();
        }

        List<String> awaitOutputEnd() {
            await("the fork's output is read to its end").atMost(Duration.ofSeconds(10)).until(() -> !reader.isAlive());
            return List.copyOf(lines);
        }

        String output() {
            return String.join(System.lineSeparator(), lines);
        }

        void kill() {
            process.destroyForcibly();
        }
    }

    /** The fork's demo environment as Docker lists it, told apart from others by its Toxiproxy's host port. */
    private record ForkEnvironment(String host, String run, String toxiproxyContainer, String network) {

        /**
         * The environment whose Redis proxy the fault probe went through, found by the host port the fork printed.
         * Docker numbers IPv4 and IPv6 host ports separately (the same number on {@code [::]} can belong to another
         * environment); Testcontainers reports the IPv4 one.
         */
        static ForkEnvironment probedIn(String activeLine) {
            Matcher probed = PROBED_PROXY.matcher(activeLine);
            assertThat(probed.find()).as("the active line names the proxy it probed: %s", activeLine).isTrue();
            int hostPort = Integer.parseInt(probed.group(2));
            List<String> rows = Docker.run("ps", "--filter", "label=dev.gameday.environment=demo-trading-system",
                            "--format", "{{.ID}}\t{{.Label \"" + RUN_LABEL + "\"}}\t{{.Ports}}").stream()
                    .filter(line -> line.contains("0.0.0.0:" + hostPort + "->"))
                    .toList();
            assertThat(rows).as("demo-environment containers publishing port %d, the proxy the fork's fault probe"
                    + " went through", hostPort).hasSize(1);
            String[] columns = rows.get(0).split("\t");
            String network = Docker.run("inspect", "--format",
                    "{{range .NetworkSettings.Networks}}{{.NetworkID}}{{end}}", columns[0]).get(0);
            ForkEnvironment environment = new ForkEnvironment(probed.group(1), columns[1], columns[0], network);
            assertThat(environment.containers())
                    .as("the fork's environment: api, Toxiproxy and its connection-statistics sidecar, exchange,"
                            + " PostgreSQL and Redis, found by its run label")
                    .hasSize(6);
            return environment;
        }

        int toxiproxyApiPort() {
            String published = Docker.run("port", toxiproxyContainer, TOXIPROXY_API_PORT + "/tcp").stream()
                    .filter(binding -> binding.startsWith("0.0.0.0:")).findFirst().orElseThrow();
            return Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
        }

        /** Running or not: every container that still exists. */
        List<String> containers() {
            return Docker.run("ps", "--all", "--quiet", "--filter", "label=" + RUN_LABEL + "=" + run);
        }

        boolean networkExists() {
            return !Docker.run("network", "ls", "--quiet", "--no-trunc", "--filter", "id=" + network).isEmpty();
        }
    }

    /** The docker command line; the test asks Docker directly, not through the fork's Testcontainers. */
    private static final class Docker {

        static List<String> run(String... arguments) {
            List<String> command = new ArrayList<>(List.of("docker"));
            command.addAll(List.of(arguments));
            try {
                Process docker = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                String out = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(docker.waitFor(30, TimeUnit.SECONDS) && docker.exitValue() == 0)
                        .as("%s succeeded", String.join(" ", command)).isTrue();
                return out.lines().filter(line -> !line.isBlank()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not run " + command, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while running " + command, e);
            }
        }
    }

    /** The fork's Toxiproxy, asked over its HTTP API with short timeouts: it may be stopping. */
    private record Toxiproxy(String host, int apiPort) {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

        /** The names of the toxics on the Redis proxy, or empty when the API does not answer. */
        Optional<List<String>> redisToxics() {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + apiPort + "/proxies/redis/toxics"))
                    .timeout(Duration.ofSeconds(1)).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    return Optional.empty();
                }
                return Optional.of(NAME.matcher(response.body()).results().map(m -> m.group(1)).toList());
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** One look at the Redis proxy's toxics; empty when Toxiproxy did not answer. */
    private record Observation(Instant at, Optional<List<String>> toxics) {

        boolean answered() {
            return toxics.isPresent();
        }

        @Override
        public String toString() {
            return at + " " + toxics.map(Object::toString).orElse("no answer");
        }
    }

    /** Looks at the toxics every 100 ms, from before the signal until it is stopped. */
    private static final class ToxicWatch {

        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        private final List<Observation> observations = new CopyOnWriteArrayList<>();

        static ToxicWatch start(Toxiproxy toxiproxy) {
            ToxicWatch watch = new ToxicWatch();
            watch.executor.scheduleWithFixedDelay(() -> {
                Optional<List<String>> toxics = toxiproxy.redisToxics();
                // stamped when the answer (or its absence) is known
                watch.observations.add(new Observation(Instant.now(), toxics));
            }, 0, 100, TimeUnit.MILLISECONDS);
            return watch;
        }

        /** Stops looking and returns what was seen, oldest first. */
        List<Observation> stop() throws InterruptedException {
            executor.shutdownNow();
            executor.awaitTermination(5, TimeUnit.SECONDS);
            return List.copyOf(observations);
        }
    }
}
