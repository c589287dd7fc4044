package dev.gameday.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleReportTest {

    private static final RunReport FAILED = Runs.failed();

    @Test
    void startsWithExperimentEnvironmentAndParameters() {
        List<String> lines = lines(ConsoleReport.unicode().render(FAILED));

        assertThat(lines.subList(0, 4)).containsExactly(
                "Experiment   redis-timeouts",
                "             Orders keep flowing when Redis stops answering.",
                "Environment  demo-trading-system (flaws: no-redis-timeout)",
                "Started      2026-11-22T10:03:30Z, ran 60 s");
        assertThat(section(lines, "Parameters")).containsExactly(
                "  rate      150 requests/s (100 place order, 50 get quote)",
                "  duration  60 s, warmup 5 s",
                "  fault     redis-timeout: Redis stops answering, from 20 s to 40 s");
    }

    @Test
    void tabulatesEachPhaseWithIndentedRowsPerSeries() {
        List<String> table = rows(section(lines(ConsoleReport.unicode().render(FAILED)), "Phases"));

        assertThat(table.get(0)).as("header").containsSubsequence("phase", "window", "requests", "req/s", "success",
                "error status", "no response", "p50", "p95", "p99", "max");
        assertThat(table).extracting(line -> line.substring(0, 17).strip()).containsExactly("phase",
                "warmup", "place order", "get quote",
                "baseline", "place order", "get quote",
                "fault", "place order", "get quote",
                "recovery", "place order", "get quote",
                "after", "place order", "get quote");
        assertThat(cells(table.get(7)))
                .as("the fault phase in total: 60 % succeeded; 210 quotes got an error status, 1,050 orders no response")
                .containsExactly("fault", "20-41", "s", "3,150", "150.0", "60.00", "%", "210", "1,050",
                        "8.0", "ms", "5,001", "ms", "5,001", "ms", "5,001", "ms");
        assertThat(table.get(8)).as("series rows are indented under their phase").startsWith("    place order ");
        assertThat(cells(table.get(8))).containsSubsequence("2,100", "100.0", "50.00", "%", "0", "1,050");
        assertThat(cells(table.get(9))).containsSubsequence("1,050", "50.0", "80.00", "%", "210", "0", "8.0", "ms");
    }

    @Test
    void alignsTheColumnsOfThePhaseTable() {
        List<String> table = rows(section(lines(ConsoleReport.unicode().render(FAILED)), "Phases"));

        assertThat(table).extracting(String::length)
                .as("every column is padded and the last is right-aligned, so every row is equally long")
                .containsOnly(table.get(0).length());
        int requestsEnd = table.get(0).indexOf("requests") + "requests".length();
        assertThat(table).extracting(line -> line.charAt(requestsEnd - 1))
                .as("request counts are right-aligned under their header")
                .allMatch(c -> c == 's' || Character.isDigit(c));
    }

    @Test
    void saysUnderEachPhaseAndSeriesWhatItsFailuresWere() {
        List<String> table = section(lines(ConsoleReport.unicode().render(FAILED)), "Phases");

        int fault = indexOf(table, "  fault ");
        assertThat(table.subList(fault, fault + 6)).extracting(String::strip).containsExactly(
                table.get(fault).strip(),
                "failures: timeout ×1,050 · 503 ×200 · 400 ×10",
                table.get(fault + 2).strip(),
                "failures: timeout ×1,050",
                table.get(fault + 4).strip(),
                "failures: 503 ×200 · 400 ×10");
        assertThat(table.get(fault + 1)).as("starts under the window column")
                .startsWith(" ".repeat(table.get(0).indexOf("window")) + "failures:");
        assertThat(table).as("healthy phases have no failure line").noneMatch(line -> line.contains("failures: ")
                && table.indexOf(line) < fault);
        assertThat(section(lines(ConsoleReport.ascii().render(FAILED)), "Phases"))
                .contains("                 failures: timeout x1,050, 503 x200, 400 x10");
    }

    @Test
    void namesTheFailuresInTheSuccessRateObjective() {
        assertThat(section(lines(ConsoleReport.unicode().render(FAILED)), "Objectives")).contains(
                "  ✘ Objective 'success rate > 99.50 %' violated in phase 'fault': expected > 99.50 %, actual 60.00 %"
                        + " (1,260 of 3,150 requests failed: 210 with an error status, 1,050 without a response;"
                        + " failures: timeout ×1,050, 503 ×200, 400 ×10)");
    }

    @Test
    void listsTargetEventsAndNamesATargetDeathNextToTheVerdict() {
        List<String> lines = lines(ConsoleReport.unicode().render(Runs.failedWhileTargetDied()));

        assertThat(section(lines, "Events")).contains(
                "  +30.2 s  target 'redis' out of memory",
                "  +30.3 s  target 'redis' died: exit code 137, OOM-killed",
                "    +31 s  target 'redis' started");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("VERDICT: FAILED — 2 of 8 objectives violated; target 'redis'"
                + " died at +30.3 s in the fault phase (exit code 137, OOM-killed)");
    }

    @Test
    void listsTheFaultEventsWithTheirTimesAndEvidence() {
        List<String> events = section(lines(ConsoleReport.unicode().render(FAILED)), "Events");

        assertThat(events).containsExactly(
                "  +20.4 s  fault 'redis-timeout' injecting",
                "  +20.4 s  fault 'redis-timeout' active: PING did not answer within 1,000 ms",
                "  +40.3 s  fault 'redis-timeout' restoring",
                "  +40.3 s  fault 'redis-timeout' restored: PING answered in 0.4 ms");
    }

    @Test
    void showsTimeToRecover() {
        assertThat(lines(ConsoleReport.unicode().render(FAILED)))
                .as("heal verified at 40.32 s, healthy from second 41: no rounding passed off as recovery")
                .contains("Time to recover: 0 s after the revert was verified (counted from the first whole second"
                        + " after it; 1 s resolution)");
    }

    @Test
    void saysWhenTheSystemNeverRecovered() {
        assertThat(lines(ConsoleReport.unicode().render(Runs.neverRecovered())))
                .contains("Time to recover: not recovered (more than 15 s after the revert was verified)");
    }

    @Test
    void summarisesTheLoadGeneratorsHealth() {
        assertThat(lines(ConsoleReport.unicode().render(FAILED))).contains("Load generator: longest stall 3.0 ms,"
                + " stalled 3.0 ms in total, at most 212 of 1,048,576 file descriptors (0.02 %)");
    }

    @Test
    void marksEveryObjectiveResultWithItsMessage() {
        List<String> objectives = section(lines(ConsoleReport.unicode().render(FAILED)), "Objectives");

        assertThat(objectives).hasSize(8);
        assertThat(objectives.get(0)).isEqualTo(
                "  ✔ Objective 'p95 latency < 100 ms' met in phase 'baseline': actual 5.0 ms (max 5.0 ms over 2,250 requests)");
        assertThat(objectives.get(2)).isEqualTo("  ✘ Objective 'p95 latency < 500 ms' violated in phase 'fault':"
                + " expected < 500 ms, actual 5,001 ms (max 5,001 ms over 3,150 requests)");
        assertThat(objectives).filteredOn(line -> line.startsWith("  ✘ ")).as("violations").hasSize(2);
        assertThat(objectives).filteredOn(line -> line.startsWith("  ✔ ")).as("met").hasSize(6);
    }

    @Test
    void endsWithTheVerdictLine() {
        assertThat(lines(ConsoleReport.unicode().render(FAILED)))
                .last().isEqualTo("VERDICT: FAILED — 2 of 8 objectives violated");
        assertThat(lines(ConsoleReport.unicode().render(Runs.passed())))
                .last().isEqualTo("VERDICT: PASSED — all 8 objectives met");
    }

    @Test
    void listsWhyARunIsInvalidBeforeItsVerdict() {
        List<String> lines = lines(ConsoleReport.unicode().render(Runs.invalid()));

        assertThat(section(lines, "Objectives")).contains("  ? Objective 'every acknowledged write is durable' unresolved"
                + " in the whole run: no durability check ran; give the experiment a durability check or drop the objective");
        assertThat(section(lines, "Why the run is invalid")).hasSize(7).first().asString()
                .startsWith("  - Fault 'redis-timeout' was injected but its effect was never confirmed");
        assertThat(lines).last()
                .isEqualTo("VERDICT: INVALID — the run cannot judge the system under test (7 reasons above)");
    }

    @Test
    void fallsBackToPlainAsciiForTerminalsWithoutUnicode() {
        String text = ConsoleReport.ascii().render(FAILED);

        assertThat(text.chars()).as("every character is ASCII").allMatch(c -> c < 128);
        assertThat(lines(text)).contains(
                "  x Objective 'p95 latency < 500 ms' violated in phase 'fault': expected < 500 ms, actual 5,001 ms"
                        + " (max 5,001 ms over 3,150 requests)",
                "  + Objective 'p95 latency < 100 ms' met in phase 'baseline': actual 5.0 ms (max 5.0 ms over 2,250 requests)");
        assertThat(lines(text)).last().isEqualTo("VERDICT: FAILED - 2 of 8 objectives violated");
    }

    @Test
    void choosesUnicodeFromTheEncodingOfStandardOutput() {
        assertThat(ConsoleReport.canShowUnicode(properties(Map.of("stdout.encoding", "UTF-8")), null))
                .as("Java 19+ names the encoding of System.out").isTrue();
        assertThat(ConsoleReport.canShowUnicode(properties(Map.of("stdout.encoding", "US-ASCII",
                "file.encoding", "UTF-8")), StandardCharsets.UTF_8))
                .as("what System.out really uses wins over the console and the default").isFalse();
        assertThat(ConsoleReport.canShowUnicode(properties(Map.of("sun.stdout.encoding", "Cp1252")), null))
                .as("a Windows console code page cannot show the marks").isFalse();
        assertThat(ConsoleReport.canShowUnicode(properties(Map.of("file.encoding", "UTF-8")), StandardCharsets.US_ASCII))
                .as("an interactive console's charset wins over the default").isFalse();
        assertThat(ConsoleReport.canShowUnicode(properties(Map.of("file.encoding", "ANSI_X3.4-1968")), null))
                .as("Java 17 in a POSIX locale prints ASCII").isFalse();
        assertThat(ConsoleReport.canShowUnicode(properties(Map.of("stdout.encoding", "no-such-charset",
                "file.encoding", "UTF-8")), null))
                .as("an unknown name is skipped").isTrue();
    }

    @Test
    void printsTheRenderedReport() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ConsoleReport.unicode().print(FAILED, new PrintStream(bytes, false, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(ConsoleReport.unicode().render(FAILED));
    }

    @Test
    void writesTheReportAsUtf8Text(@TempDir Path dir) throws Exception {
        Path file = ConsoleReport.unicode().write(FAILED, dir.resolve("results"));

        assertThat(file).hasFileName("report.txt");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(ConsoleReport.unicode().render(FAILED));
    }

    private static UnaryOperator<String> properties(Map<String, String> values) {
        return values::get;
    }

    static List<String> lines(String text) {
        assertThat(text).as("the report ends with a newline").endsWith("\n");
        return text.lines().toList();
    }

    /** The lines under a section title, up to the blank line that ends the section. */
    static List<String> section(List<String> lines, String title) {
        int start = lines.indexOf(title);
        assertThat(start).as("section '%s' in%n%s", title, String.join("\n", lines)).isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).isEmpty()) {
            end++;
        }
        return lines.subList(start + 1, end);
    }

    private static List<String> cells(String line) {
        return Arrays.asList(line.strip().split("\\s+"));
    }

    @Test
    void doesNotCallAFailedRunInvalidWhenOnlyOnePhaseCouldNotBeJudged() {
        List<String> lines = ConsoleReport.unicode().render(Runs.failedWithUntrustedRecovery()).lines().toList();

        assertThat(lines).contains("What this run could not judge").doesNotContain("Why the run is invalid");
        assertThat(lines).last().asString()
                .as("the violations come from phases the injector could be trusted in")
                .startsWith("VERDICT: FAILED");
    }

    private static List<String> rows(List<String> table) {
        return table.stream().filter(line -> !line.strip().startsWith("failures:")).toList();
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with '" + prefix + "' in " + lines);
    }
}
