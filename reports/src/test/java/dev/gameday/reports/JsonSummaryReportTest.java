package dev.gameday.reports;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gameday.assertions.DurabilityEvidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSummaryReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesSummaryJsonWithSchemaVersionAndWhatRanAgainstWhat() throws IOException {
        JsonNode summary = write(Runs.failed());

        assertThat(summary.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(summary.path("experiment").asText()).isEqualTo("redis-timeouts");
        assertThat(summary.path("environment").asText()).isEqualTo("demo-trading-system (flaws: no-redis-timeout)");
        assertThat(summary.path("description").asText()).isEqualTo("Orders keep flowing when Redis stops answering.");
        assertThat(fieldNames(summary.path("parameters"))).as("parameters keep their display order")
                .containsExactly("rate", "duration", "fault");
        assertThat(summary.path("parameters").path("fault").asText())
                .isEqualTo("redis-timeout: Redis stops answering, from 20 s to 40 s");
        assertThat(summary.path("startedAt").asText()).isEqualTo("2026-11-22T10:03:30Z");
        assertThat(summary.path("durationSeconds").asDouble()).isEqualTo(60.0);
        assertThat(summary.path("series")).extracting(JsonNode::asText).containsExactly("place order", "get quote");
    }

    @Test
    void writesTheVerdictAsTheEvaluationGaveIt() throws IOException {
        JsonNode summary = write(Runs.failed());

        assertThat(summary.path("verdict").asText()).isEqualTo("FAILED");
        assertThat(summary.path("headline").asText()).isEqualTo("FAILED: 2 of 8 objectives violated");
        assertThat(summary.path("invalidity").isArray()).isTrue();
        assertThat(summary.path("invalidity")).isEmpty();
    }

    @Test
    void writesWhatTheFailuresWereInEachPhaseSeriesAndSecond() throws IOException {
        JsonNode summary = write(Runs.failedWhileTargetDied());
        JsonNode fault = summary.path("phases").get(2);

        JsonNode failures = fault.path("total").path("failures");
        assertThat(failures.path("statuses").path("503").asLong()).isEqualTo(200);
        assertThat(failures.path("statuses").path("400").asLong()).isEqualTo(10);
        assertThat(failures.path("errors").path("timeout").asLong()).isEqualTo(1_050);
        assertThat(failures.path("unlisted").asLong()).isZero();
        assertThat(failures.path("text").asText()).isEqualTo("timeout ×1,050 · 503 ×200 · 400 ×10");
        assertThat(fault.path("bySeries").path("get quote").path("failures").path("errors")).isEmpty();
        assertThat(summary.path("phases").get(1).path("total").path("failures").path("text").asText()).isEmpty();
        assertThat(summary.path("perSecond").get(40).path("failures").path("statuses").path("400").asLong()).isEqualTo(10);
        assertThat(summary.path("perSecond").get(10).path("failures").isNull()).isTrue();
        assertThat(summary.path("headline").asText()).isEqualTo("FAILED: 2 of 8 objectives violated; target 'redis'"
                + " died at +30.3 s in the fault phase (exit code 137, OOM-killed)");
        assertThat(summary.path("events")).anySatisfy(event -> {
            assertThat(event.path("kind").asText()).isEqualTo("TARGET_DIED");
            assertThat(event.path("detail").asText()).isEqualTo("exit code 137, OOM-killed");
        });
        RunSummary read = JsonSummaryReport.read(dir.resolve(JsonSummaryReport.FILE_NAME));
        assertThat(read.phases().get(2).total().failures().errors()).containsEntry("timeout", 1_050L);
    }

    @Test
    void writesEveryPhaseWithItsFiguresInTotalAndPerSeries() throws IOException {
        JsonNode fault = write(Runs.failed()).path("phases").get(2);

        assertThat(fault.path("phase").asText()).isEqualTo("fault");
        assertThat(fault.path("fromSeconds").asDouble()).isEqualTo(20.0);
        assertThat(fault.path("toSeconds").asDouble()).as("the second of the heal belongs to the fault").isEqualTo(41.0);
        JsonNode total = fault.path("total");
        assertThat(total.path("requests").asLong()).isEqualTo(3_150);
        assertThat(total.path("errorStatus").asLong()).isEqualTo(210);
        assertThat(total.path("noResponse").asLong()).isEqualTo(1_050);
        assertThat(total.path("successPercent").asDouble()).isEqualTo(60.0);
        assertThat(total.path("requestRate").asDouble()).isEqualTo(150.0);
        assertThat(total.path("successRate").asDouble()).isEqualTo(90.0);
        assertThat(total.path("latencyMs").path("p50").asDouble()).as("median is a quote").isCloseTo(8.0, within(0.01));
        assertThat(total.path("latencyMs").path("p95").asDouble()).as("the timed-out orders")
                .isCloseTo(5_000, within(5.0));
        assertThat(fieldNames(fault.path("bySeries"))).containsExactly("place order", "get quote");
        JsonNode orders = fault.path("bySeries").path("place order");
        assertThat(orders.path("requests").asLong()).isEqualTo(2_100);
        assertThat(orders.path("noResponse").asLong()).isEqualTo(1_050);
        assertThat(orders.path("successPercent").asDouble()).isEqualTo(50.0);
        assertThat(write(Runs.failed()).path("phases")).extracting(p -> p.path("phase").asText())
                .containsExactly("warmup", "baseline", "fault", "recovery", "after");
    }

    @Test
    void writesViolatedResultsWithExpectedAndActualFigures() throws IOException {
        JsonNode p95 = write(Runs.failed()).path("results").get(2);

        assertThat(p95.path("status").asText()).isEqualTo("VIOLATED");
        assertThat(p95.path("objective").asText()).isEqualTo("p95 latency < 500 ms");
        assertThat(p95.path("scope").asText()).isEqualTo("fault");
        assertThat(p95.path("message").asText()).isEqualTo("Objective 'p95 latency < 500 ms' violated in phase 'fault':"
                + " expected < 500 ms, actual 5,001 ms (max 5,001 ms over 3,150 requests)");
        assertThat(p95.path("expected").path("text").asText()).isEqualTo("< 500 ms");
        assertThat(p95.path("expected").path("comparison").asText()).isEqualTo("<");
        assertThat(p95.path("expected").path("value").asDouble()).isEqualTo(500.0);
        assertThat(p95.path("expected").path("unit").asText()).isEqualTo("MILLISECONDS");
        assertThat(p95.path("actual").path("value").asDouble()).isCloseTo(5_001, within(1.0));
        assertThat(p95.path("actual").path("unit").asText()).isEqualTo("MILLISECONDS");
        assertThat(p95.path("actual").path("atLeast").asBoolean()).isFalse();
        assertThat(p95.path("actual").path("text").asText()).isEqualTo("5,001 ms");
        assertThat(p95.path("detail").asText()).isEqualTo("max 5,001 ms over 3,150 requests");
        assertThat(p95.path("fromSeconds").asDouble()).isEqualTo(20.0);
        assertThat(p95.path("toSeconds").asDouble()).isEqualTo(41.0);
    }

    @Test
    void writesALowerBoundWhenTheSystemNeverRecovered() throws IOException {
        JsonNode summary = write(Runs.neverRecovered());
        JsonNode recovery = summary.path("results").get(4);

        assertThat(summary.path("timeToRecover").isNull()).as("no time to recover, written as null").isTrue();
        assertThat(recovery.path("objective").asText()).isEqualTo("time to recover < 15 s");
        assertThat(recovery.path("expected").path("value").asDouble()).isEqualTo(15.0);
        assertThat(recovery.path("expected").path("unit").asText()).isEqualTo("SECONDS");
        assertThat(recovery.path("actual").path("atLeast").asBoolean()).as("only a lower bound is known").isTrue();
        assertThat(recovery.path("actual").path("text").asText()).isEqualTo("more than 15 s");
    }

    @Test
    void writesTimeToRecoverAsIsoDurationAndSeconds() throws IOException {
        JsonNode timeToRecover = write(Runs.failed()).path("timeToRecover");

        assertThat(timeToRecover.path("iso").asText())
                .as("heal verified at 40.32 s, healthy from 41 s, the first whole second after it").isEqualTo("PT0S");
        assertThat(timeToRecover.path("seconds").asDouble()).isEqualTo(0.0);
    }

    @Test
    void writesUnresolvedResultsWithTheirReasonAndTheInvalidity() throws IOException {
        JsonNode summary = write(Runs.invalid());
        JsonNode durability = summary.path("results").get(7);

        assertThat(summary.path("verdict").asText()).isEqualTo("INVALID");
        assertThat(summary.path("invalidity")).as("the fault, and 6 objectives that could not be decided").hasSize(7);
        assertThat(summary.path("invalidity").get(0).asText())
                .startsWith("Fault 'redis-timeout' was injected but its effect was never confirmed");
        assertThat(durability.path("status").asText()).isEqualTo("UNRESOLVED");
        assertThat(durability.path("scope").asText()).isEqualTo("whole run");
        assertThat(durability.path("actual").isNull()).as("nothing was measured").isTrue();
        assertThat(durability.path("detail").asText())
                .isEqualTo("no durability check ran; give the experiment a durability check or drop the objective");
        assertThat(durability.path("expected").path("text").asText()).isEqualTo("0 missing");
        assertThat(summary.path("results").get(2).path("fromSeconds").isNull())
                .as("the fault phase did not happen, so the objective has no span").isTrue();
    }

    @Test
    void writesTheEventsAndTheInjectorsHealth() throws IOException {
        JsonNode summary = write(Runs.failed());

        assertThat(summary.path("events")).extracting(e -> e.path("kind").asText())
                .containsExactly("FAULT_INJECTING", "FAULT_ACTIVE", "FAULT_RESTORING", "FAULT_RESTORED");
        JsonNode active = summary.path("events").get(1);
        assertThat(active.path("atSeconds").asDouble()).isEqualTo(20.42);
        assertThat(active.path("subject").asText()).isEqualTo("redis-timeout");
        assertThat(active.path("detail").asText()).isEqualTo("PING did not answer within 1,000 ms");
        JsonNode injector = summary.path("injector");
        assertThat(injector.path("samples").asInt()).isEqualTo(1);
        assertThat(injector.path("maxLongestStallMs").asDouble()).isEqualTo(3.0);
        assertThat(injector.path("totalStalledMs").asDouble()).isEqualTo(3.0);
        assertThat(injector.path("maxOpenFiles").asLong()).isEqualTo(212);
        assertThat(injector.path("fileDescriptorLimit").asLong()).isEqualTo(1_048_576);
        assertThat(injector.path("maxFileDescriptorPercent").asDouble()).isCloseTo(0.0202, within(0.0001));
    }

    @Test
    void writesAPerSecondSeriesForCharts() throws IOException {
        JsonNode perSecond = write(Runs.failed()).path("perSecond");

        assertThat(perSecond).hasSize(60);
        assertThat(perSecond).extracting(s -> s.path("second").asInt()).as("one entry per second, in order")
                .containsExactlyElementsOf(range(0, 60));
        JsonNode duringFault = perSecond.get(25);
        assertThat(duringFault.path("requests").asLong()).isEqualTo(150);
        assertThat(duringFault.path("errorStatus").asLong()).isEqualTo(10);
        assertThat(duringFault.path("noResponse").asLong()).isEqualTo(50);
        assertThat(duringFault.path("successPercent").asDouble()).isEqualTo(60.0);
        assertThat(duringFault.path("offered").asDouble()).isEqualTo(150.0);
        assertThat(duringFault.path("latencyMs").path("p99").asDouble()).isCloseTo(5_001, within(1.0));
        assertThat(perSecond.get(45).path("latencyMs").path("max").asDouble()).isCloseTo(5.0, within(0.01));
        assertThat(perSecond.get(29).path("injectorStalledMs").asDouble())
                .as("the injector sample that ended at 30 s belongs to second 29").isCloseTo(3.0, within(0.01));
        assertThat(perSecond.get(30).path("injectorStalledMs").isNull()).as("no sample ended in second 30").isTrue();
    }

    @Test
    void writesNullNotNaNForASecondWithoutRequests() throws IOException {
        var timeline = RunFixture.offering(150, 60, Runs.ORDERS, Runs.QUOTES)
                .healthy(Runs.ORDERS, 0, 59, 100).healthy(Runs.QUOTES, 0, 59, 50)
                .fault(Runs.FAULT, ofMillis(20_400), ofMillis(40_300))
                .timeline();
        RunReport run = Runs.report(timeline, Optional.of(new DurabilityEvidence("orders table", 10, 0, List.of())));

        String text = Files.readString(new JsonSummaryReport().write(run, dir));
        JsonNode lastSecond = JSON.readTree(text).path("perSecond").get(59);

        assertThat(text).as("strict JSON has no NaN").doesNotContain("NaN");
        assertThat(lastSecond.path("requests").asLong()).isZero();
        assertThat(lastSecond.has("successPercent")).as("the field is there").isTrue();
        assertThat(lastSecond.path("successPercent").isNull()).as("with no value").isTrue();
    }

    @Test
    void readsTheWrittenFileBackIntoTheJavaRepresentation() throws IOException {
        RunReport run = Runs.failed();

        RunSummary read = JsonSummaryReport.read(new JsonSummaryReport().write(run, dir));

        assertThat(read).as("nothing lost on the way through JSON").isEqualTo(JsonSummaryReport.summarize(run));
        assertThat(read.results()).filteredOn(r -> r.status().equals("VIOLATED"))
                .extracting(RunSummary.ResultEntry::objective)
                .containsExactly("p95 latency < 500 ms", "success rate > 99.50 %");
        assertThat(read.phases().get(2).bySeries().get("get quote").errorStatus()).isEqualTo(210);
    }

    @Test
    void readsSummariesWithFieldsItDoesNotKnow() throws IOException {
        Path file = new JsonSummaryReport().write(Runs.passed(), dir);
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{ \"addedLater\" : true,"));

        assertThat(JsonSummaryReport.read(file).verdict()).isEqualTo("PASSED");
    }

    @Test
    void refusesASummaryOfAnotherSchemaVersion() throws IOException {
        Path file = new JsonSummaryReport().write(Runs.passed(), dir);
        Files.writeString(file, Files.readString(file).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));

        assertThatThrownBy(() -> JsonSummaryReport.read(file)).isInstanceOf(IOException.class)
                .hasMessage("JSON summary " + file + ": schema version must be 1, but was 2. Read it with the Gameday"
                        + " version that wrote it.");
    }

    @Test
    void explainsAMissingSummary() {
        Path missing = dir.resolve("summary.json");

        assertThatThrownBy(() -> JsonSummaryReport.read(missing)).isInstanceOf(IOException.class)
                .hasMessage("JSON summary: " + missing + " does not exist. Pass the summary.json from a results"
                        + " directory written by Reports.writeAll.");
    }

    private JsonNode write(RunReport run) throws IOException {
        Path file = new JsonSummaryReport().write(run, dir);
        assertThat(file).hasFileName("summary.json");
        String text = Files.readString(file);
        assertThat(text).as("pretty-printed").contains("\n  \"schemaVersion\" : 1,");
        return JSON.readTree(text);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> range = new ArrayList<>();
        for (int i = from; i < to; i++) {
            range.add(i);
        }
        return range;
    }
}
