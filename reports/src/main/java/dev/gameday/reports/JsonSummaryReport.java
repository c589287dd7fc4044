package dev.gameday.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Figure;
import dev.gameday.assertions.Figures;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.PhaseSpan;
import dev.gameday.assertions.PhaseSummary;
import dev.gameday.reports.RunSummary.Elapsed;
import dev.gameday.reports.RunSummary.EventEntry;
import dev.gameday.reports.RunSummary.Expected;
import dev.gameday.reports.RunSummary.Failures;
import dev.gameday.reports.RunSummary.InjectorHealth;
import dev.gameday.reports.RunSummary.Latency;
import dev.gameday.reports.RunSummary.PhaseEntry;
import dev.gameday.reports.RunSummary.Quantity;
import dev.gameday.reports.RunSummary.ResultEntry;
import dev.gameday.reports.RunSummary.SecondEntry;
import dev.gameday.reports.RunSummary.Stats;
import dev.gameday.timeline.FailureBreakdown;
import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.Window;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code summary.json}: the run's figures, results and a per-second series in a stable, documented schema
 * (see {@link RunSummary}) for dashboards, charts and later comparison of runs.
 *
 * <pre>{@code
 * Path file = new JsonSummaryReport().write(run, Path.of("target/gameday/redis-timeouts"));
 * RunSummary summary = JsonSummaryReport.read(file);
 * }</pre>
 */
public final class JsonSummaryReport implements Report {

    /** The file {@link #write} creates. */
    public static final String FILE_NAME = "summary.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    @Override
    public Path write(RunReport run, Path directory) throws IOException {
        byte[] json = json(run).getBytes(StandardCharsets.UTF_8);
        return Output.file(directory, FILE_NAME, "JSON summary", out -> out.write(json));
    }

    /** The summary as pretty-printed JSON text, for attaching it elsewhere. */
    public String render(RunReport run) {
        try {
            return json(run);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON summary of '" + run.experiment() + "' could not be rendered: "
                    + Output.describe(e), e);
        }
    }

    private static String json(RunReport run) throws JsonProcessingException {
        return MAPPER.writeValueAsString(summarize(run)) + System.lineSeparator();
    }

    /** Reads a {@code summary.json} written by any version of schema {@value RunSummary#SCHEMA_VERSION}. */
    public static RunSummary read(Path file) throws IOException {
        RunSummary summary;
        try (InputStream in = Files.newInputStream(file)) {
            summary = MAPPER.readValue(in, RunSummary.class);
        } catch (NoSuchFileException e) {
            throw new IOException("JSON summary: " + file + " does not exist. Pass the summary.json from a results"
                    + " directory written by Reports.writeAll.", e);
        } catch (JsonProcessingException e) {
            throw new IOException("JSON summary " + file + " is not a Gameday summary (" + e.getOriginalMessage()
                    + "). Pass the summary.json from a results directory written by Reports.writeAll.", e);
        }
        if (summary.schemaVersion() != RunSummary.SCHEMA_VERSION) {
            throw new IOException("JSON summary " + file + ": schema version must be " + RunSummary.SCHEMA_VERSION
                    + ", but was " + summary.schemaVersion() + ". Read it with the Gameday version that wrote it.");
        }
        return summary;
    }

    /** The summary as Java values, exactly as {@link #write} would write them. */
    public static RunSummary summarize(RunReport run) {
        Timeline timeline = run.timeline();
        Evaluation evaluation = run.evaluation();
        return new RunSummary(RunSummary.SCHEMA_VERSION, run.experiment(), run.environment(), run.description(),
                run.parameters(), Rendering.instant(timeline.startedAt()), seconds(timeline.end()),
                evaluation.verdict().name(), headline(run), evaluation.invalidity(),
                evaluation.timeToRecover().map(ttr -> new Elapsed(ttr.toString(), seconds(ttr))).orElse(null),
                timeline.series(), phases(evaluation), results(evaluation), events(timeline), injector(timeline),
                perSecond(timeline), serverSeries(timeline));
    }

    private static List<RunSummary.ServerSeriesEntry> serverSeries(Timeline timeline) {
        List<RunSummary.ServerSeriesEntry> entries = new ArrayList<>();
        timeline.serverSeries().forEach((name, samples) -> entries.add(new RunSummary.ServerSeriesEntry(name,
                samples.stream().map(s -> new RunSummary.ServerReading(seconds(s.at()),
                        s.isMissing() ? null : s.value().getAsDouble())).toList())));
        return entries;
    }

    /** The evaluation's headline, and any target that died during an assessed phase. */
    private static String headline(RunReport run) {
        List<String> deaths = Rendering.targetDeaths(run);
        return run.evaluation().headline() + (deaths.isEmpty() ? "" : "; " + String.join("; ", deaths));
    }

    private static List<PhaseEntry> phases(Evaluation evaluation) {
        List<PhaseEntry> phases = new ArrayList<>();
        for (PhaseSummary phase : evaluation.phases()) {
            Map<String, Stats> bySeries = new LinkedHashMap<>();
            phase.bySeries().forEach((name, figures) -> bySeries.put(name, stats(figures)));
            phases.add(new PhaseEntry(phase.phase().label(), seconds(phase.span().from()), seconds(phase.span().to()),
                    stats(phase.total()), bySeries));
        }
        return phases;
    }

    private static Stats stats(Figures figures) {
        return new Stats(figures.requests(), figures.errorStatus(), figures.noResponse(),
                orNull(figures.successPercent()), figures.requestRate(), figures.successRate(),
                new Latency(millis(figures.p50()), millis(figures.p95()), millis(figures.p99()), millis(figures.max()),
                        millis(figures.sentP95()), millis(figures.sentP99())),
                failures(figures.failureBreakdown(), figures.errorStatus(), figures.noResponse()), figures.degraded());
    }

    static Failures failures(FailureBreakdown breakdown, long errorStatus, long noResponse) {
        Map<String, Long> statuses = new LinkedHashMap<>();
        breakdown.statuses().forEach((status, count) -> statuses.put(Integer.toString(status), count));
        Map<String, Long> errors = new LinkedHashMap<>();
        breakdown.errors().forEach((kind, count) -> errors.put(kind.label(), count));
        List<FailureBreakdown.Count> counts = breakdown.counts(errorStatus, noResponse);
        long unlisted = Math.max(0, errorStatus - breakdown.statusCount()) + Math.max(0, noResponse - breakdown.errorCount());
        return new Failures(statuses, errors, new LinkedHashMap<>(breakdown.otherErrors()), unlisted,
                String.join(" · ", counts.stream().map(FailureBreakdown.Count::toString).toList()));
    }

    private static List<ResultEntry> results(Evaluation evaluation) {
        List<ResultEntry> results = new ArrayList<>();
        for (ObjectiveResult result : evaluation.results()) {
            Optional<Figure> bound = Rendering.expectedFigure(result.objective());
            String expectedText = result instanceof ObjectiveResult.Violated violated
                    ? violated.expected() : Rendering.expected(result.objective());
            Expected expected = new Expected(expectedText, Rendering.comparison(result.objective()),
                    bound.map(Figure::value).orElse(null), bound.map(f -> f.unit().name()).orElse(null));
            Optional<PhaseSpan> span = Rendering.span(result.objective(), evaluation);
            results.add(new ResultEntry(result.status().name(), result.objective().name(), result.objective().scope(),
                    result.message(), expected, Rendering.actual(result).map(JsonSummaryReport::quantity).orElse(null),
                    Rendering.detail(result), span.map(s -> seconds(s.from())).orElse(null),
                    span.map(s -> seconds(s.to())).orElse(null)));
        }
        return results;
    }

    private static Quantity quantity(Figure figure) {
        return new Quantity(figure.value(), figure.unit().name(), figure.atLeast(), figure.toString());
    }

    private static List<EventEntry> events(Timeline timeline) {
        return timeline.events().stream()
                .map(e -> new EventEntry(seconds(e.at()), e.kind().name(), e.subject(), e.detail()))
                .toList();
    }

    private static InjectorHealth injector(Timeline timeline) {
        List<InjectorSample> samples = timeline.injector();
        Duration longest = Duration.ZERO;
        Duration stalled = Duration.ZERO;
        InjectorSample busiest = null;
        for (InjectorSample sample : samples) {
            longest = sample.longestStall().compareTo(longest) > 0 ? sample.longestStall() : longest;
            stalled = stalled.plus(sample.stalled());
            if (sample.maxOpenFiles() > 0 && sample.openFiles() >= 0
                    && (busiest == null || sample.fileDescriptorUsage() > busiest.fileDescriptorUsage())) {
                busiest = sample;
            }
        }
        return busiest == null
                ? new InjectorHealth(samples.size(), millis(longest), millis(stalled), null, null, null)
                : new InjectorHealth(samples.size(), millis(longest), millis(stalled), 100 * busiest.fileDescriptorUsage(),
                busiest.openFiles(), busiest.maxOpenFiles());
    }

    private static List<SecondEntry> perSecond(Timeline timeline) {
        // a sample covers the period that ends at its time: it belongs to the second that period ends in
        Map<Long, Duration> stalledBySecond = new HashMap<>();
        for (InjectorSample sample : timeline.injector()) {
            long second = Math.max(0, (sample.at().toNanos() - 1) / 1_000_000_000L);
            stalledBySecond.merge(second, sample.stalled(), Duration::plus);
        }
        List<SecondEntry> seconds = new ArrayList<>();
        for (Window second : timeline.perSecond(Duration.ZERO, timeline.end())) {
            seconds.add(new SecondEntry(second.from().toSeconds(), second.requests(), second.count(Outcome.ERROR_STATUS),
                    second.count(Outcome.NO_RESPONSE), orNull(second.successPercent()),
                    timeline.offered().expectedRequests(second.from(), second.to()),
                    new Latency(millis(second.latencyAtPercentile(50)), millis(second.latencyAtPercentile(95)),
                            millis(second.latencyAtPercentile(99)), millis(second.maxLatency()),
                            millis(second.asSent().latencyAtPercentile(95)), millis(second.asSent().latencyAtPercentile(99))),
                    Optional.ofNullable(stalledBySecond.get(second.from().toSeconds()))
                            .map(JsonSummaryReport::millis).orElse(null),
                    second.failures() == 0 ? null : failures(second.failureBreakdown(),
                            second.count(Outcome.ERROR_STATUS), second.count(Outcome.NO_RESPONSE)),
                    second.degraded()));
        }
        return seconds;
    }

    private static Double orNull(double value) {
        return Double.isNaN(value) ? null : value;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1e6;
    }
}
