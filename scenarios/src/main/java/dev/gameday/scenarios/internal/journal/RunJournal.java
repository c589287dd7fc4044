package dev.gameday.scenarios.internal.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.DegradedRateCriterion;
import dev.gameday.assertions.FullServiceCriterion;
import dev.gameday.assertions.ServerMetricCriterion;
import dev.gameday.assertions.ServerMetricGrowthCriterion;
import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.assertions.DurabilityObjective;
import dev.gameday.assertions.Evidence;
import dev.gameday.assertions.LatencyCriterion;
import dev.gameday.assertions.Objective;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseObjective;
import dev.gameday.assertions.RecoveryObjective;
import dev.gameday.assertions.SuccessRateCriterion;
import dev.gameday.assertions.ThroughputCriterion;
import dev.gameday.timeline.FailureBreakdown;
import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.Interval;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.ServerSample;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineLog;
import dev.gameday.timeline.TimelineRecorder;
import dev.gameday.timeline.TransportError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Streams the record of a run into its results directory while it happens: the run's definition as it starts, then
 * every event, injector sample and server-side reading as it is recorded ({@value #FILE_NAME}, one JSON object a line), and the sealed
 * seconds of the timeline a few at a time ({@value #HISTOGRAM_LOG}), with what their failures were (a journal line
 * per second and series that had any). A run killed with {@code kill -9}, or a machine
 * that dies, leaves what it measured so far; {@link RunRecord#read} puts a report back together from it.
 *
 * <pre>{@code
 * try (RunJournal journal = RunJournal.open(directory)) {
 *     recorder.listener(journal);
 *     // as the load starts:
 *     journal.started(definition, recorder);
 *     // every few seconds:
 *     journal.append(recorder.seal(sealAfter));
 *     // at the end:
 *     journal.finished(durability);
 * }
 * }</pre>
 */
public final class RunJournal implements TimelineRecorder.Listener, AutoCloseable {

    /** The journal's file in a results directory. */
    public static final String FILE_NAME = "journal.jsonl";
    /** The histogram log the sealed seconds are appended to; the complete log replaces it when the run finishes. */
    public static final String HISTOGRAM_LOG = "timeline.hlog";
    static final int FORMAT = 1;

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final BufferedWriter lines;
    /** Set once the run is over: later events (a revert at shutdown) are not part of its record. */
    private boolean closed;
    private OutputStream histogramFile; // guarded by this
    private TimelineLog.Appender histograms; // guarded by this
    private List<String> series = List.of(); // guarded by this
    /** The failure breakdown last written per second and series, so that only what changed is written again. */
    private final Map<Integer, FailureBreakdown[]> failuresWritten = new HashMap<>(); // guarded by this

    private RunJournal(Path directory, BufferedWriter lines) {
        this.directory = directory;
        this.lines = lines;
    }

    /** Starts a journal in the results directory. */
    public static RunJournal open(Path directory) {
        try {
            return new RunJournal(directory, Files.newBufferedWriter(directory.resolve(FILE_NAME), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the run's journal into " + directory.toAbsolutePath() + ": "
                    + e.getMessage() + ". Choose another results directory.", e);
        }
    }

    /**
     * What a run is, as far as judging it needs: written first, as the load starts.
     *
     * @param experiment  the experiment's name
     * @param environment what it runs against
     * @param description one sentence on what it does
     * @param parameters  the run's settings, for the report header
     * @param warmup      the leading time that is not assessed
     * @param objectives  what must hold
     */
    public record Definition(String experiment, String environment, String description, Map<String, String> parameters,
                             Duration warmup, ObjectiveSet objectives) {
    }

    /** Records the run's definition and the recorder's origin, series and offered load; opens the histogram log. */
    public synchronized void started(Definition definition, TimelineRecorder recorder) {
        var snapshot = recorder.snapshot();
        ObjectNode run = line("run");
        run.put("format", FORMAT);
        run.put("experiment", definition.experiment());
        run.put("environment", definition.environment());
        run.put("description", definition.description());
        ObjectNode parameters = run.putObject("parameters");
        definition.parameters().forEach(parameters::put);
        run.put("startedAt", snapshot.startedAt().toString());
        ArrayNode series = run.putArray("series");
        snapshot.series().forEach(series::add);
        this.series = List.copyOf(snapshot.series());
        run.put("warmupNanos", definition.warmup().toNanos());
        ArrayNode offered = run.putArray("offered");
        for (OfferedLoad.Step step : snapshot.offered().steps()) {
            offered.addObject().put("fromNanos", step.from().toNanos()).put("toNanos", step.to().toNanos())
                    .put("ratePerSecond", step.ratePerSecond());
        }
        run.set("objectives", objectives(definition.objectives()));
        write(run);
        try {
            histogramFile = Files.newOutputStream(directory.resolve(HISTOGRAM_LOG));
            histograms = new TimelineLog.Appender(histogramFile, snapshot.startedAt(), snapshot.series());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + directory.resolve(HISTOGRAM_LOG) + ": " + e.getMessage(), e);
        }
    }

    /** Appends sealed seconds to the histogram log, and their failures to the journal. */
    public synchronized void append(List<Interval> sealed) {
        if (histograms != null && !sealed.isEmpty()) {
            histograms.append(sealed);
        }
        failures(sealed);
    }

    /**
     * Writes what the failures of these seconds were, where it is not what the journal already says (a second sealed
     * earlier can still receive a late request); at the end of a run, pass every interval.
     */
    public synchronized void failures(List<Interval> intervals) {
        for (Interval interval : intervals) {
            FailureBreakdown[] written = failuresWritten.get(interval.second());
            for (int s = 0; s < series.size(); s++) {
                FailureBreakdown breakdown = interval.failures(s);
                FailureBreakdown before = written == null ? FailureBreakdown.NONE : written[s];
                if (breakdown.equals(before)) {
                    continue;
                }
                ObjectNode line = line("failures");
                line.put("second", interval.second());
                line.put("series", series.get(s));
                ObjectNode statuses = line.putObject("statuses");
                breakdown.statuses().forEach((status, count) -> statuses.put(Integer.toString(status), count));
                ObjectNode errors = line.putObject("errors");
                breakdown.errors().forEach((kind, count) -> errors.put(kind.name(), count));
                ObjectNode others = line.putObject("otherErrors");
                breakdown.otherErrors().forEach(others::put);
                write(line);
                if (written == null) {
                    written = new FailureBreakdown[series.size()];
                    java.util.Arrays.fill(written, FailureBreakdown.NONE);
                    failuresWritten.put(interval.second(), written);
                }
                written[s] = breakdown;
            }
        }
    }

    /** A line written by {@link #failures}, read back. */
    static FailureBreakdown failures(JsonNode line) {
        Map<Integer, Long> statuses = new HashMap<>();
        line.path("statuses").fields().forEachRemaining(e -> statuses.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        Map<TransportError, Long> errors = new HashMap<>();
        line.path("errors").fields().forEachRemaining(e -> errors.put(TransportError.valueOf(e.getKey()), e.getValue().asLong()));
        Map<String, Long> others = new HashMap<>();
        line.path("otherErrors").fields().forEachRemaining(e -> others.put(e.getKey(), e.getValue().asLong()));
        return new FailureBreakdown(statuses, errors, others);
    }

    @Override
    public synchronized void event(TimelineEvent event) {
        ObjectNode line = line("event");
        line.put("atNanos", event.at().toNanos());
        line.put("kind", event.kind().name());
        line.put("subject", event.subject());
        line.put("detail", event.detail());
        write(line);
    }

    @Override
    public synchronized void injector(InjectorSample sample) {
        ObjectNode line = line("injector");
        line.put("atNanos", sample.at().toNanos());
        line.put("longestStallNanos", sample.longestStall().toNanos());
        line.put("stalledNanos", sample.stalled().toNanos());
        line.put("openFiles", sample.openFiles());
        line.put("maxOpenFiles", sample.maxOpenFiles());
        write(line);
    }

    /** A reading of a server-side series; a missing one is written with a null value. */
    @Override
    public synchronized void serverSample(String series, ServerSample sample) {
        ObjectNode line = line("server");
        line.put("series", series);
        line.put("atNanos", sample.at().toNanos());
        if (sample.isMissing()) {
            line.putNull("value");
        } else {
            line.put("value", sample.value().getAsDouble());
        }
        write(line);
    }

    /** A line written by {@link #serverSample}, read back. */
    static ServerSample serverSample(JsonNode line) {
        JsonNode value = line.path("value");
        Duration at = Duration.ofNanos(line.path("atNanos").asLong());
        return value.isNumber() ? ServerSample.of(at, value.asDouble()) : ServerSample.missing(at);
    }

    /** Marks the run complete, with what its durability check found; the complete histogram log is written next. */
    public synchronized void finished(Optional<DurabilityEvidence> durability) {
        durability.ifPresent(found -> {
            ObjectNode line = line("durability");
            line.put("store", found.store());
            line.put("acknowledged", found.acknowledged());
            line.put("missing", found.missing());
            ArrayNode sample = line.putArray("missingSample");
            found.missingSample().forEach(sample::add);
            found.error().ifPresent(error -> line.put("error", error));
            write(line);
        });
        write(line("end"));
        closeHistograms();
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeHistograms();
        try {
            lines.close();
        } catch (IOException e) {
            // every line was flushed as it was written
        }
    }

    private void closeHistograms() {
        if (histogramFile != null) {
            try {
                histogramFile.close();
            } catch (IOException e) {
                // every append was flushed
            }
            histogramFile = null;
            histograms = null;
        }
    }

    private static ObjectNode line(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private void write(ObjectNode line) {
        if (closed) {
            // the run's record is complete; what happens after it (a revert at shutdown) goes to the console only
            return;
        }
        try {
            lines.write(JSON.writeValueAsString(line));
            lines.write('\n');
            lines.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + directory.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode objectives(ObjectiveSet set) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("evidence").put("requests", set.evidence().requests())
                .put("lengthNanos", set.evidence().length().toNanos());
        ArrayNode list = node.putArray("list");
        for (Objective objective : set.objectives()) {
            ObjectNode item = list.addObject();
            if (objective instanceof PhaseObjective phase) {
                item.put("kind", "phase").put("phase", phase.phase().name()).set("criterion", criterion(phase.criterion()));
            } else if (objective instanceof RecoveryObjective recovery) {
                item.put("kind", "recovery").put("withinNanos", recovery.within().toNanos())
                        .put("holdNanos", recovery.holdFor().toNanos());
                ArrayNode steady = item.putArray("steadyState");
                recovery.steadyState().forEach(c -> steady.add(criterion(c)));
            } else {
                item.put("kind", "durability");
            }
        }
        return node;
    }

    static ObjectiveSet objectives(JsonNode node) {
        List<Objective> objectives = new ArrayList<>();
        for (JsonNode item : node.path("list")) {
            switch (item.path("kind").asText()) {
                case "phase" -> objectives.add(new PhaseObjective(Phase.valueOf(item.path("phase").asText()),
                        criterion(item.path("criterion"))));
                case "recovery" -> {
                    List<Criterion> steady = new ArrayList<>();
                    item.path("steadyState").forEach(c -> steady.add(criterion(c)));
                    objectives.add(new RecoveryObjective(Duration.ofNanos(item.path("withinNanos").asLong()),
                            Duration.ofNanos(item.path("holdNanos").asLong()), steady));
                }
                case "durability" -> objectives.add(new DurabilityObjective());
                default -> throw new IllegalArgumentException("unknown objective kind '" + item.path("kind").asText() + "'");
            }
        }
        JsonNode evidence = node.path("evidence");
        return new ObjectiveSet(objectives, new Evidence(evidence.path("requests").asLong(),
                Duration.ofNanos(evidence.path("lengthNanos").asLong())));
    }

    private static ObjectNode criterion(Criterion criterion) {
        ObjectNode node = JSON.createObjectNode();
        if (criterion instanceof LatencyCriterion latency) {
            node.put("kind", "latency").put("percentile", latency.percentile())
                    .put("thresholdNanos", latency.threshold().toNanos());
        } else if (criterion instanceof SuccessRateCriterion success) {
            node.put("kind", "successRate").put("minimumPercent", success.minimumPercent());
        } else if (criterion instanceof DegradedRateCriterion degraded) {
            node.put("kind", "degradedRate").put("maximumPercent", degraded.maximumPercent());
        } else if (criterion instanceof FullServiceCriterion full) {
            node.put("kind", "fullService").put("minimumPercent", full.minimumPercent());
        } else if (criterion instanceof ServerMetricCriterion server) {
            node.put("kind", "serverMetric").put("series", server.series()).put("bound", server.bound().name())
                    .put("threshold", server.threshold());
        } else if (criterion instanceof ServerMetricGrowthCriterion growth) {
            node.put("kind", "serverMetricGrowth").put("series", growth.series()).put("perMinute", growth.perMinute());
        } else {
            node.put("kind", "throughput").put("minimumPerSecond", ((ThroughputCriterion) criterion).minimumPerSecond());
        }
        return node;
    }

    private static Criterion criterion(JsonNode node) {
        return switch (node.path("kind").asText()) {
            case "latency" -> new LatencyCriterion(node.path("percentile").asDouble(),
                    Duration.ofNanos(node.path("thresholdNanos").asLong()));
            case "successRate" -> new SuccessRateCriterion(node.path("minimumPercent").asDouble());
            case "throughput" -> new ThroughputCriterion(node.path("minimumPerSecond").asDouble());
            case "degradedRate" -> new DegradedRateCriterion(node.path("maximumPercent").asDouble());
            case "fullService" -> new FullServiceCriterion(node.path("minimumPercent").asDouble());
            case "serverMetric" -> new ServerMetricCriterion(node.path("series").asText(),
                    ServerMetricCriterion.Bound.valueOf(node.path("bound").asText()), node.path("threshold").asDouble());
            case "serverMetricGrowth" -> new ServerMetricGrowthCriterion(node.path("series").asText(),
                    node.path("perMinute").asDouble());
            default -> throw new IllegalArgumentException("unknown criterion kind '" + node.path("kind").asText() + "'");
        };
    }

    static Instant instant(JsonNode node) {
        return Instant.parse(node.asText());
    }
}
