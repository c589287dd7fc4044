package dev.gameday.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.Flaw;
import dev.gameday.scenarios.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import dev.gameday.scenarios.catalogue.Catalogue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input gets a clear error before anything starts: none of these touch Docker. */
class GamedayCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void rejectsAReportOnSomethingThatIsNotAResultsDirectory() {
        assertThat(run("report", "no-such-run")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: report: expected the results directory of one run, but 'no-such-run'"
                + " is not a directory. 'ls gameday-results' lists the runs.");
    }

    @Test
    void saysWhatAReportNeedsWhenTheDirectoryHasNoJournal(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        assertThat(run("report", empty.toString())).isEqualTo(GamedayCli.COULD_NOT_RUN);
        assertThat(errors()).startsWith("gameday: report: expected a results directory written by 'gameday run', with a"
                + " journal.jsonl, but found none in " + empty.toAbsolutePath());
    }

    @Test
    void rejectsAnUnknownExperimentListingTheKnownOnes() {
        assertThat(run("run", "redis-timeout")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: unknown experiment 'redis-timeout'; expected one of "
                + Catalogue.entries().stream().map(Catalogue.Entry::name).toList() + ". 'gameday list' shows them.")
                .contains("[redis-timeouts, ");
    }

    @Test
    void rejectsADurationWithoutAUnit() {
        assertThat(run("run", "redis-timeouts", "--fault", "20")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --fault: expected a duration like 500ms, 20s, 2m or 1h, but found '20'.");
    }

    @Test
    void rejectsAnAbsurdFaultDurationStatingTheRange() {
        assertThat(run("run", "redis-timeouts", "--fault", "99999h")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --fault: expected a duration from 2s to 1h, but found '99999h'.");
    }

    @Test
    void rejectsADurationTooLargeForANumber() {
        assertThat(run("run", "redis-timeouts", "--fault", "999999999999999999999h")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --fault: expected a duration from 2s to 1h, but found"
                + " '999999999999999999999h'.");
    }

    @Test
    void rejectsHoursThatOverflowADuration() {
        // fits a long, but not a Duration's seconds once multiplied by 3,600
        assertThat(run("run", "redis-timeouts", "--observe", "9223372036854775807h")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --observe: expected a duration from 5s to 1h, but found"
                + " '9223372036854775807h'.");
    }

    @Test
    void rejectsAFaultTooShortToVerify() {
        assertThat(run("run", "redis-timeouts", "--fault", "1500ms")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --fault: expected a duration from 2s to 1h, but found '1500ms'.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            --warmup   | 11m | "gameday: --warmup: expected a duration from 0s to 10m, but found '11m'."
            --baseline | 4s  | "gameday: --baseline: expected a duration from 5s to 1h, but found '4s'."
            --baseline | 61m | "gameday: --baseline: expected a duration from 5s to 1h, but found '61m'."
            --fault    | 0s  | "gameday: --fault: expected a duration from 2s to 1h, but found '0s'."
            --observe  | 2h  | "gameday: --observe: expected a duration from 5s to 1h, but found '2h'."
            """)
    void rejectsEachDurationOutsideItsRange(String option, String value, String message) {
        assertThat(run("run", "redis-timeouts", option, value)).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith(message);
    }

    @Test
    void acceptsTheEdgesOfEachRangeAndAWarmupOfZero() {
        GamedayCli.Invocation invocation = GamedayCli.parse(List.of("run", "redis-timeouts", "--warmup", "0s",
                "--baseline", "1h", "--fault", "2s", "--observe", "60m"));

        Experiment experiment = invocation.experiment();
        assertThat(experiment.load().warmup()).isZero();
        assertThat(experiment.schedule()).isEqualTo(new dev.gameday.scenarios.FaultSchedule(Duration.ofHours(1),
                Duration.ofSeconds(2), Duration.ofHours(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "0", "0.0", "20000.5", "1e9", "NaN", "Infinity", "-Infinity"})
    void rejectsARateOutOfRangeStatingTheRange(String rate) {
        assertThat(run("run", "redis-timeouts", "--rate", rate)).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --rate: expected requests per second above 0 and at most 20000,"
                + " but found '" + rate + "'.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "200d", "0x10", "200/s"})
    void rejectsARateThatIsNoNumber(String rate) {
        assertThat(run("run", "redis-timeouts", "--rate", rate)).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --rate: expected requests per second such as 200, but found '"
                + rate + "'.");
    }

    @Test
    void acceptsTheHighestRate() {
        assertThat(GamedayCli.parse(List.of("run", "redis-timeouts", "--rate", "20000")).experiment().load()
                .ratePerSecond()).isEqualTo(20_000);
    }

    @Test
    void helpStatesEachRange() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--rate <requests/s>      arrival rate of the open-model load, above 0 and at most 20000")
                .contains("--warmup <duration>      unassessed lead-in, e.g. 10s; 0s to 10m")
                .contains("--baseline <duration>    healthy load before the fault, e.g. 20s; 5s to 1h")
                .contains("--fault <duration>       how long the fault lasts, e.g. 20s; 2s to 1h")
                .contains("--observe <duration>     load after the fault is reverted, e.g. 30s; 5s to 1h");
    }

    @Test
    void rejectsAnUnknownFlawListingTheKnownOnes() {
        assertThat(run("run", "redis-timeouts", "--flaw", "slow-disk")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: Unknown flaw 'slow-disk'; known flaws are "
                + dev.gameday.demo.Flaw.knownIds() + ".")
                .contains("no-redis-timeout, breaker-never-half-opens, leaking-cache, leaking-pool, cache-required");
    }

    @Test
    void rejectsAnObservationTooShortToSeeRecovery() {
        assertThat(run("run", "redis-timeouts", "--observe", "10s")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: Experiment 'redis-timeouts': it observes 10 s after the fault, but"
                + " recovering within 15 s and holding for 5 s (plus 2 s for the revert's verification) needs at least"
                + " 22 s. Lengthen observe() or shorten the"
                + " recovery bound.");
    }

    @Test
    void rejectsANegativeControlWithHandPickedFlaws() {
        assertThat(run("run", "redis-timeouts", "--negative-control", "--flaw", "leaking-pool")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).contains("--negative-control already chooses the flaws [no-redis-timeout]");
    }

    @Test
    void buildsTheNegativeControlWithItsFlawAndOverrides() {
        GamedayCli.Invocation invocation = GamedayCli.parse(List.of("run", "redis-timeouts", "--negative-control",
                "--rate", "300", "--fault", "30s", "--results", "/tmp/gameday-test"));

        Experiment experiment = invocation.experiment();
        assertThat(experiment.name()).isEqualTo("redis-timeouts-negative-control");
        assertThat(experiment.load().ratePerSecond()).isEqualTo(300);
        assertThat(experiment.schedule().fault()).isEqualTo(Duration.ofSeconds(30));
        assertThat(experiment.schedule().baseline()).as("untouched settings keep the catalogue's values")
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(invocation.results()).hasToString("/tmp/gameday-test");
        assertThat(invocation.failFast()).as("runs to its planned end unless asked").isFalse();
    }

    @Test
    void failFastIsAnOptionOfRunForCatalogueEntriesAndFilesAlike() {
        assertThat(GamedayCli.parse(List.of("run", "redis-timeouts", "--negative-control", "--fail-fast")).failFast())
                .isTrue();
        assertThat(GamedayCli.parse(List.of("run", EXAMPLE, "--fail-fast")).failFast()).isTrue();
        assertThat(GamedayCli.HELP).contains("--fail-fast");
    }

    @Test
    void listsTheCatalogueWithEachNegativeControl() {
        assertThat(run("list")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("redis-timeouts", "2. Redis connection timeouts", Flaw.NO_REDIS_TIMEOUT.id());
    }

    // --- experiment files --------------------------------------------------------------------------------------

    private static final String EXAMPLE = java.nio.file.Path.of("..", "examples", "catalogue", "redis-timeouts.yaml")
            .toString();

    @Test
    void checksAFileAndPrintsItsExperimentWithoutStartingIt() {
        assertThat(run("check", EXAMPLE)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("gameday: experiment 'redis-timeouts' is valid; nothing was started.\n")
                .contains("  environment      demo-trading-system\n")
                .contains("  load             200 requests/s, open model\n")
                .contains("  injects          timeout on redis\n")
                .contains("  runs for         100 s\n")
                .contains("    fault        p95 latency < 500 ms\n")
                .contains("    recovery     time to recover < 15 s (p95 latency < 100 ms, success rate > 99.50 % for 5s)\n")
                .contains("  durability       orders table in PostgreSQL\n");
    }

    @Test
    void refusesAnInvalidFileWithItsLocatedError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws java.io.IOException {
        java.nio.file.Path file = directory.resolve("my.yaml");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(java.nio.file.Path.of(EXAMPLE))
                .replace("successAbove: 99.5%}\n  recovery", "successAbove: 0.995}\n  recovery"));

        assertThat(run("check", file.toString())).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: " + file + ":42:42: objectives.fault.successAbove: expected a"
                + " percentage such as 99.5%, found 0.995 (a fraction?). Write 99.5%.\n"
                + "docs/experiment-file.md describes the file format.");
        assertThat(run("run", file.toString())).isEqualTo(GamedayCli.USAGE);
    }

    @Test
    void runsAFileWithOverrides() {
        GamedayCli.Invocation invocation = GamedayCli.parse(List.of("run", EXAMPLE, "--rate", "300", "--fault", "30s"));

        assertThat(invocation.checkOnly()).isFalse();
        assertThat(invocation.experiment().name()).isEqualTo("redis-timeouts");
        assertThat(invocation.experiment().load().ratePerSecond()).isEqualTo(300);
        assertThat(invocation.experiment().load().warmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(invocation.experiment().schedule().fault()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void saysAMissingFileIsMissing() {
        assertThat(run("run", "no-such-experiment.yaml")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: no-such-experiment.yaml:1:1: no such file.");
    }

    @Test
    void refusesCatalogueOnlyOptionsForAFile() {
        assertThat(run("run", EXAMPLE, "--negative-control")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --negative-control applies to catalogue experiments; an experiment"
                + " file names its flaws itself (environment.demo.flaws), and its negative control is a file of its own.");
    }

    @Test
    void checkNeedsAFile() {
        assertThat(run("check")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: 'check' needs an experiment file");
    }

    @Test
    void helpNamesFilesAndCheck() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("run <file.yaml>          run the experiment a file describes (docs/experiment-file.md)")
                .contains("check <file.yaml>        check a file and print its experiment, without starting anything");
    }

    @Test
    void cleanupSaysWhenNothingIsLeftAndKeepsWhatItCannotRevert(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        dev.gameday.faults.FaultJournal journal = dev.gameday.faults.FaultJournal.at(dir);
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(GamedayCli.cleanup(journal, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no fault left applied by a killed run");

        // an entry left by a process that has ended, for a backend this version cannot revert
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        java.nio.file.Files.writeString(dir.resolve("custom-1.fault"), "fault=custom\ndescription=a user's own"
                + " disruption\nowner.pid=" + ended.pid() + "\nrecorded=2026-11-30T10:00:00Z\nbackend=custom\n");

        assertThat(GamedayCli.cleanup(journal, o, e)).isEqualTo(GamedayCli.COULD_NOT_RUN);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("could NOT revert 'custom' (a user's own disruption),"
                + " left applied by pid " + ended.pid()).contains("no reverter for backend 'custom'");
        assertThat(journal.leftovers()).as("kept for another attempt").hasSize(1);
    }

    private int run(String... args) {
        return GamedayCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
