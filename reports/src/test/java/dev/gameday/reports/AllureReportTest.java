package dev.gameday.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllureReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STARTED = RunFixture.STARTED.toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void writesOneResultPerObjectiveWithItsStatusAndMessage() throws IOException {
        Path results = new AllureReport().write(Runs.failed(), dir);

        assertThat(results).isEqualTo(dir.resolve("allure-results"));
        List<JsonNode> tests = results(results);
        assertThat(tests).extracting(t -> t.path("name").asText() + " " + t.path("status").asText()).containsExactly(
                "p95 latency < 100 ms passed",
                "success rate > 99.50 % passed",
                "p95 latency < 500 ms failed",
                "success rate > 99.50 % failed",
                "time to recover < 15 s passed",
                "p95 latency < 100 ms passed",
                "success rate > 99.50 % passed",
                "every acknowledged write is durable passed",
                "run validity passed");
        JsonNode violated = tests.get(2);
        assertThat(violated.path("statusDetails").path("message").asText()).isEqualTo("Objective 'p95 latency < 500 ms'"
                + " violated in phase 'fault': expected < 500 ms, actual 5,001 ms (max 5,001 ms over 3,150 requests)");
        assertThat(violated.path("statusDetails").path("expected").asText()).isEqualTo("< 500 ms");
        assertThat(violated.path("statusDetails").path("actual").asText()).isEqualTo("5,001 ms");
        assertThat(violated.path("stage").asText()).isEqualTo("finished");
        assertThat(violated.path("fullName").asText()).isEqualTo("gameday.redis-timeouts.fault.p95 latency < 500 ms");
    }

    @Test
    void namesTheFailuresAndATargetDeathInTheViolatedObjectives() throws IOException {
        List<JsonNode> tests = results(new AllureReport().write(Runs.failedWhileTargetDied(), dir));

        JsonNode successRate = tests.get(3).path("statusDetails");
        assertThat(successRate.path("message").asText()).endsWith("1,050 without a response; failures: timeout ×1,050,"
                + " 503 ×200, 400 ×10)");
        assertThat(successRate.path("trace").asText()).isEqualTo("failures in phase 'fault': timeout ×1,050, 503 ×200,"
                + " 400 ×10\ntarget 'redis' died at +30.3 s in the fault phase (exit code 137, OOM-killed)");
        assertThat(tests.get(8).path("description").asText()).endsWith("VERDICT: FAILED - 2 of 8 objectives violated;"
                + " target 'redis' died at +30.3 s in the fault phase (exit code 137, OOM-killed)");
    }

    @Test
    void labelsResultsWithExperimentEnvironmentAndScope() throws IOException {
        JsonNode violated = results(new AllureReport().write(Runs.failed(), dir)).get(2);

        Map<String, String> labels = new HashMap<>();
        violated.path("labels").forEach(l -> labels.put(l.path("name").asText(), l.path("value").asText()));
        assertThat(labels).containsEntry("suite", "redis-timeouts")
                .containsEntry("feature", "demo-trading-system (flaws: no-redis-timeout)")
                .containsEntry("story", "fault")
                .containsEntry("subSuite", "fault")
                .containsEntry("parentSuite", "gameday")
                .doesNotContainKey("host");
        assertThat(violated.path("parameters")).extracting(p -> p.path("name").asText() + "=" + p.path("value").asText())
                .contains("duration=60 s, warmup 5 s");
    }

    @Test
    void timesResultsByTheirPhaseOnTheWallClock() throws IOException {
        List<JsonNode> tests = results(new AllureReport().write(Runs.failed(), dir));

        JsonNode fault = tests.get(2);
        assertThat(fault.path("start").asLong()).as("the fault phase starts 20 s into the run").isEqualTo(STARTED + 20_000);
        assertThat(fault.path("stop").asLong()).isEqualTo(STARTED + 41_000);
        JsonNode durability = tests.get(7);
        assertThat(durability.path("start").asLong()).as("the whole run").isEqualTo(STARTED);
        assertThat(durability.path("stop").asLong()).isEqualTo(STARTED + 60_000);
    }

    @Test
    void marksUnresolvedObjectivesAndAnInvalidRunAsBroken() throws IOException {
        List<JsonNode> tests = results(new AllureReport().write(Runs.invalid(), dir));

        assertThat(tests).filteredOn(t -> t.path("status").asText().equals("broken"))
                .extracting(t -> t.path("name").asText())
                .containsExactly("p95 latency < 500 ms", "success rate > 99.50 %", "time to recover < 15 s",
                        "p95 latency < 100 ms", "success rate > 99.50 %", "every acknowledged write is durable",
                        "run validity");
        JsonNode validity = tests.get(tests.size() - 1);
        assertThat(validity.path("statusDetails").path("message").asText()).startsWith(
                "The run cannot judge the system under test: Fault 'redis-timeout' was injected but its effect was never"
                        + " confirmed");
        assertThat(validity.path("statusDetails").path("trace").asText().lines())
                .as("one line per reason").hasSize(7);
        assertThat(tests.get(7).path("statusDetails").path("message").asText()).isEqualTo("Objective 'every acknowledged"
                + " write is durable' unresolved in the whole run: no durability check ran; give the experiment a"
                + " durability check or drop the objective");
    }

    @Test
    void attachesTheConsoleReportAndTheJsonSummary() throws IOException {
        Path results = new AllureReport().write(Runs.failed(), dir);
        JsonNode violated = results(results).get(2);

        JsonNode attachments = violated.path("attachments");
        assertThat(attachments).extracting(a -> a.path("name").asText() + " " + a.path("type").asText())
                .containsExactly("console report text/plain", "summary.json application/json");
        Path console = results.resolve(attachments.get(0).path("source").asText());
        Path summary = results.resolve(attachments.get(1).path("source").asText());
        assertThat(console.getFileName().toString()).endsWith("-attachment.txt");
        assertThat(Files.readString(console, StandardCharsets.UTF_8))
                .isEqualTo(ConsoleReport.unicode().render(Runs.failed()));
        assertThat(JSON.readTree(summary.toFile()).path("verdict").asText()).isEqualTo("FAILED");
    }

    @Test
    void givesEachObjectiveTheSameHistoryIdInEveryRun() throws IOException {
        List<JsonNode> first = results(new AllureReport().write(Runs.failed(), dir.resolve("first")));
        List<JsonNode> second = results(new AllureReport().write(Runs.passed(), dir.resolve("second")));

        assertThat(second).extracting(t -> t.path("historyId").asText())
                .as("Allure links an objective's results across runs by history id")
                .containsExactlyElementsOf(first.stream().map(t -> t.path("historyId").asText()).toList())
                .doesNotHaveDuplicates();
    }

    @Test
    void keepsResultsAlreadyInTheDirectory() throws IOException {
        Path results = dir.resolve("allure-results");
        Files.createDirectories(results);
        Path earlier = Files.writeString(results.resolve("0000-result.json"), "{\"name\":\"from another test\"}");

        new AllureReport().write(Runs.passed(), dir);
        new AllureReport().write(Runs.failed(), dir);

        assertThat(earlier).as("other tests' results survive").exists();
        assertThat(resultFiles(results)).as("two runs of 9 results, plus the earlier one").hasSize(19);
    }

    private static List<JsonNode> results(Path results) throws IOException {
        List<JsonNode> tests = new ArrayList<>();
        for (Path file : resultFiles(results)) {
            tests.add(JSON.readTree(file.toFile()));
        }
        return order(tests); // files are named by random UUIDs, so their order says nothing
    }

    private static List<Path> resultFiles(Path results) throws IOException {
        try (Stream<Path> files = Files.list(results)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-result.json")).sorted().toList();
        }
    }

    /** Puts the results in the order of the fixture's objective set, then the run's validity. */
    private static List<JsonNode> order(List<JsonNode> tests) {
        List<String> order = List.of(
                "gameday.redis-timeouts.baseline.p95 latency < 100 ms",
                "gameday.redis-timeouts.baseline.success rate > 99.50 %",
                "gameday.redis-timeouts.fault.p95 latency < 500 ms",
                "gameday.redis-timeouts.fault.success rate > 99.50 %",
                "gameday.redis-timeouts.recovery.time to recover < 15 s",
                "gameday.redis-timeouts.after.p95 latency < 100 ms",
                "gameday.redis-timeouts.after.success rate > 99.50 %",
                "gameday.redis-timeouts.whole run.every acknowledged write is durable",
                "gameday.redis-timeouts.whole run.run validity");
        List<JsonNode> ordered = new ArrayList<>(tests);
        ordered.sort((a, b) -> Integer.compare(order.indexOf(a.path("fullName").asText()),
                order.indexOf(b.path("fullName").asText())));
        assertThat(ordered).extracting(t -> t.path("fullName").asText()).as("every result is one of the objectives")
                .isSubsetOf(order);
        return ordered;
    }
}
