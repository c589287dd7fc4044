package dev.gameday.scenarios.internal.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.Figure;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.reports.RunReport;
import dev.gameday.timeline.FailureBreakdown;
import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.ServerSample;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts the report of a run back together from its results directory, complete or partial: the journal and the
 * histogram log that {@link RunJournal} streamed while it ran. The objectives are evaluated again, exactly as the run
 * would have; a record that ends before the run finished says where it ends, and is never a pass.
 *
 * <pre>{@code
 * RunReport report = RunRecord.read(Path.of("gameday-results/redis-timeouts-20261130-101500"));
 * System.out.print(ConsoleReport.forStandardOutput().render(report));
 * }</pre>
 */
public final class RunRecord {

    private RunRecord() {
    }

    /**
     * Reads a results directory.
     *
     * @throws IllegalArgumentException when it holds no journal, or one whose run never started
     */
    public static RunReport read(Path directory) {
        Path journal = directory.resolve(RunJournal.FILE_NAME);
        if (!Files.isRegularFile(journal)) {
            throw new IllegalArgumentException("expected a results directory written by 'gameday run', with a "
                    + RunJournal.FILE_NAME + ", but found none in " + directory.toAbsolutePath()
                    + ". Pass the directory of one run, for example gameday-results/redis-timeouts-20261130-101500.");
        }
        List<JsonNode> lines = lines(journal);
        JsonNode run = lines.stream().filter(l -> l.path("type").asText().equals("run")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the journal " + journal.toAbsolutePath()
                        + " has no run in it: the run died before its load started, so nothing was measured."));
        List<TimelineEvent> events = new ArrayList<>();
        List<InjectorSample> injector = new ArrayList<>();
        Optional<DurabilityEvidence> durability = Optional.empty();
        boolean finished = false;
        Map<Integer, Map<String, FailureBreakdown>> failures = new HashMap<>();
        Map<String, List<ServerSample>> server = new LinkedHashMap<>();
        for (JsonNode line : lines) {
            switch (line.path("type").asText()) {
                // a later line for the same second and series has the later counts
                case "failures" -> failures.computeIfAbsent(line.path("second").asInt(), second -> new HashMap<>())
                        .put(line.path("series").asText(), RunJournal.failures(line));
                case "event" -> events.add(new TimelineEvent(nanos(line, "atNanos"),
                        TimelineEvent.Kind.valueOf(line.path("kind").asText()), line.path("subject").asText(),
                        line.path("detail").asText()));
                case "injector" -> injector.add(new InjectorSample(nanos(line, "atNanos"), nanos(line, "longestStallNanos"),
                        nanos(line, "stalledNanos"), line.path("openFiles").asLong(), line.path("maxOpenFiles").asLong()));
                case "durability" -> durability = Optional.of(durability(line));
                case "server" -> server.computeIfAbsent(line.path("series").asText(), s -> new ArrayList<>())
                        .add(RunJournal.serverSample(line));
                case "end" -> finished = true;
                default -> { }
            }
        }
        Timeline logged = histograms(directory.resolve(RunJournal.HISTOGRAM_LOG)).withFailures(failures);
        OfferedLoad offered = offered(run.path("offered"));
        if (!finished) {
            Duration end = recordEnd(logged, events, injector);
            events.add(new TimelineEvent(end, TimelineEvent.Kind.RECORD_ENDS, "run", "the run stopped before it"
                    + " finished (the harness was killed, or the machine died): " + Figure.seconds(end) + " of the "
                    + Figure.seconds(offered.end()) + " planned were recorded"));
            offered = offered.until(end);
        }
        // a run stopped early on purpose offered its load until the stop, not to the planned end
        for (TimelineEvent event : events) {
            if (event.kind() == TimelineEvent.Kind.RUN_STOPPED) {
                offered = offered.until(event.at());
            }
        }
        Timeline timeline = logged.with(RunJournal.instant(run.path("startedAt")), events, injector, offered)
                .withServerSeries(server);
        ObjectiveSet objectives = RunJournal.objectives(run.path("objectives"));
        Evaluation evaluation = Evaluator.evaluate(timeline, objectives, nanos(run, "warmupNanos"), durability);
        Map<String, String> parameters = new LinkedHashMap<>();
        run.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return new RunReport(run.path("experiment").asText(), run.path("environment").asText(),
                run.path("description").asText(), parameters, timeline, evaluation);
    }

    /** The journal's lines; a last line cut off by a dying process is left out. */
    private static List<JsonNode> lines(Path journal) {
        List<String> text;
        try {
            text = Files.readAllLines(journal, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + journal.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).isBlank()) {
                continue;
            }
            try {
                lines.add(RunJournal.JSON.readTree(text.get(i)));
            } catch (JsonProcessingException e) {
                if (i < text.size() - 1) {
                    throw new IllegalArgumentException("line " + (i + 1) + " of " + journal.toAbsolutePath()
                            + " is not a journal entry (" + e.getOriginalMessage() + "); was it edited by hand?", e);
                }
            }
        }
        return lines;
    }

    /** The histogram log, up to its last complete line. */
    private static Timeline histograms(Path log) {
        if (!Files.isRegularFile(log)) {
            return TimelineLog.read(new ByteArrayInputStream(new byte[0]));
        }
        try {
            byte[] bytes = Files.readAllBytes(log);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            return TimelineLog.read(new ByteArrayInputStream(bytes, 0, end));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + log.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    private static Duration recordEnd(Timeline logged, List<TimelineEvent> events, List<InjectorSample> injector) {
        Duration end = logged.intervals().isEmpty() ? Duration.ZERO
                : Duration.ofSeconds(logged.intervals().get(logged.intervals().size() - 1).second() + 1L);
        for (TimelineEvent event : events) {
            end = event.at().compareTo(end) > 0 ? event.at() : end;
        }
        for (InjectorSample sample : injector) {
            end = sample.at().compareTo(end) > 0 ? sample.at() : end;
        }
        return end;
    }

    private static OfferedLoad offered(JsonNode steps) {
        List<OfferedLoad.Step> list = new ArrayList<>();
        for (JsonNode step : steps) {
            list.add(new OfferedLoad.Step(nanos(step, "fromNanos"), nanos(step, "toNanos"),
                    step.path("ratePerSecond").asDouble()));
        }
        return new OfferedLoad(list);
    }

    private static DurabilityEvidence durability(JsonNode line) {
        List<String> sample = new ArrayList<>();
        line.path("missingSample").forEach(id -> sample.add(id.asText()));
        String store = line.path("store").asText();
        return line.hasNonNull("error") ? DurabilityEvidence.checkFailed(store, line.path("error").asText())
                : new DurabilityEvidence(store, line.path("acknowledged").asLong(), line.path("missing").asLong(), sample);
    }

    private static Duration nanos(JsonNode node, String field) {
        return Duration.ofNanos(node.path(field).asLong());
    }
}
