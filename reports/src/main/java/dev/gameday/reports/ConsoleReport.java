package dev.gameday.reports;

import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Verdict;
import dev.gameday.assertions.Figure;
import dev.gameday.assertions.Figures;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseSummary;
import dev.gameday.assertions.RecoveryObjective;
import dev.gameday.reports.TextTable.Align;
import dev.gameday.timeline.FailureBreakdown;
import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Renders a run as text for a terminal or a test log: what ran against what, a table of each phase's figures in
 * total and per request series, the fault events, time-to-recover, every objective's result, why the run is invalid
 * if it is, and the verdict on the last line.
 *
 * <p>Marks and dashes are Unicode ({@code ✔ ✘ —}) where the output can show them and plain ASCII
 * ({@code + x -}) where it cannot; {@link #forStandardOutput()} decides from the encoding of {@code System.out}.
 *
 * <pre>{@code
 * ConsoleReport.forStandardOutput().print(run, System.out);
 * String text = ConsoleReport.ascii().render(run);
 * }</pre>
 */
public final class ConsoleReport implements Report {

    /** The file {@link #write} creates: the same text, in UTF-8. */
    public static final String FILE_NAME = "report.txt";

    private static final String UNICODE_PROBE = "✔✘—";

    private final boolean unicode;

    private ConsoleReport(boolean unicode) {
        this.unicode = unicode;
    }

    /** Marks the results with {@code ✔ ✘ ?} and the verdict with an em dash. */
    public static ConsoleReport unicode() {
        return new ConsoleReport(true);
    }

    /** Plain ASCII marks ({@code + x ?}) for terminals and logs that cannot show Unicode. */
    public static ConsoleReport ascii() {
        return new ConsoleReport(false);
    }

    /**
     * Unicode if {@code System.out} can encode it, ASCII otherwise. The encoding is {@code stdout.encoding} (set by
     * Java 19 and later), else {@code sun.stdout.encoding} (set on Windows consoles), else the console's charset when
     * there is an interactive console, else the default charset ({@code file.encoding}), which is what
     * {@code System.out} uses on Java 17.
     */
    public static ConsoleReport forStandardOutput() {
        Console console = System.console();
        return new ConsoleReport(canShowUnicode(System::getProperty, console == null ? null : console.charset()));
    }

    static boolean canShowUnicode(UnaryOperator<String> properties, Charset consoleCharset) {
        Charset charset = charset(properties.apply("stdout.encoding"))
                .or(() -> charset(properties.apply("sun.stdout.encoding")))
                .or(() -> Optional.ofNullable(consoleCharset))
                .or(() -> charset(properties.apply("file.encoding")))
                .orElse(Charset.defaultCharset());
        return charset.canEncode() && charset.newEncoder().canEncode(UNICODE_PROBE);
    }

    private static Optional<Charset> charset(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Charset.forName(name.strip()));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** Whether this report marks results with Unicode symbols. */
    public boolean isUnicode() {
        return unicode;
    }

    /** Prints the report and flushes the stream. */
    public void print(RunReport run, PrintStream out) {
        out.print(render(run));
        out.flush();
    }

    /** Writes the report to {@value #FILE_NAME} in UTF-8. */
    @Override
    public Path write(RunReport run, Path directory) throws IOException {
        String text = render(run);
        return Output.file(directory, FILE_NAME, "Console report", out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The report as text; every line ends with a newline, the last one is the verdict. */
    public String render(RunReport run) {
        Objects.requireNonNull(run, "run");
        StringBuilder out = new StringBuilder();
        header(run, out);
        phases(run, out);
        ServerSeriesTable.appendTo(run, out);
        events(run.timeline(), out);
        recovery(run.evaluation(), out);
        injector(run.timeline(), out);
        objectives(run.evaluation(), out);
        invalidity(run.evaluation(), out);
        out.append("VERDICT: ").append(run.evaluation().verdict()).append(' ').append(unicode ? "—" : "-").append(' ')
                .append(Rendering.verdictReason(run)).append('\n');
        return out.toString();
    }

    private static void header(RunReport run, StringBuilder out) {
        TextTable header = new TextTable(Align.LEFT, Align.LEFT)
                .row("Experiment", run.experiment());
        if (!run.description().isBlank()) {
            header.row("", run.description());
        }
        header.row("Environment", run.environment())
                .row("Started", Rendering.instant(run.timeline().startedAt()) + ", ran " + Figure.seconds(run.timeline().end()));
        header.appendTo(out, "");
        out.append('\n');
        if (!run.parameters().isEmpty()) {
            out.append("Parameters\n");
            TextTable parameters = new TextTable(Align.LEFT, Align.LEFT);
            run.parameters().forEach(parameters::row);
            parameters.appendTo(out, "  ");
            out.append('\n');
        }
    }

    private void phases(RunReport run, StringBuilder out) {
        if (run.evaluation().phases().isEmpty()) {
            return;
        }
        out.append("Phases\n");
        // a degraded column only where some answer was degraded, so runs without a degraded marker read as before
        boolean degraded = run.evaluation().phases().stream().anyMatch(phase -> phase.total().degraded() > 0);
        TextTable table = degraded
                ? new TextTable(Align.LEFT, Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT,
                        Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT)
                        .row("phase", "window", "requests", "req/s", "success", "degraded", "error status",
                                "no response", "p50", "p95", "p99", "max")
                : new TextTable(Align.LEFT, Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT,
                        Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT)
                        .row("phase", "window", "requests", "req/s", "success", "error status", "no response",
                                "p50", "p95", "p99", "max");
        for (PhaseSummary phase : run.evaluation().phases()) {
            figures(table, phase.phase().label(), Rendering.window(phase.span()), phase.total(), degraded);
            failures(table, phase.total());
            if (phase.bySeries().size() > 1) {
                for (Map.Entry<String, Figures> series : phase.bySeries().entrySet()) {
                    figures(table, "  " + series.getKey(), "", series.getValue(), degraded);
                    failures(table, series.getValue());
                }
            }
        }
        table.appendTo(out, "  ");
        out.append('\n');
        sentFigures(run, out);
    }

    /**
     * Where the load generator fell behind, the same percentiles measured from the actual send: the table's figures
     * count from each request's intended start, so they include the load generator's own delay.
     */
    private static void sentFigures(RunReport run, StringBuilder out) {
        List<PhaseSummary> delayed = run.evaluation().phases().stream()
                .filter(phase -> phase.phase() != Phase.WARMUP && phase.total().injectorDelayShows()).toList();
        if (delayed.isEmpty()) {
            return;
        }
        out.append("Latency from the actual send (the table counts from each request's intended start, which includes"
                + " the load generator's own delay)\n");
        TextTable table = new TextTable(Align.LEFT, Align.RIGHT, Align.RIGHT);
        table.row("phase", "p95", "p99");
        for (PhaseSummary phase : delayed) {
            table.row(phase.phase().label(), Figure.millis(phase.total().sentP95()).toString(),
                    Figure.millis(phase.total().sentP99()).toString());
        }
        table.appendTo(out, "  ");
        out.append('\n');
    }

    /** {@code failures: 503 ×412 · timeout ×300 · refused ×44} under a row whose requests did not all succeed. */
    private void failures(TextTable table, Figures figures) {
        if (!figures.failureCounts().isEmpty()) {
            table.note("failures: " + failures(figures.failureCounts()));
        }
    }

    /** The failure counts in this report's characters: {@code 503 ×412 · timeout ×300}, or {@code 503 x412, timeout x300}. */
    String failures(List<FailureBreakdown.Count> counts) {
        return String.join(unicode ? " · " : ", ", counts.stream().map(c -> c.format(unicode ? "×" : "x")).toList());
    }

    private static void figures(TextTable table, String name, String window, Figures figures, boolean degraded) {
        List<String> cells = new java.util.ArrayList<>(List.of(name, window, Figure.count(figures.requests()).toString(),
                Figure.perSecond(figures.requestRate()).number(), Rendering.percent(figures.successPercent())));
        if (degraded) {
            cells.add(Figure.count(figures.degraded()).toString());
        }
        cells.addAll(List.of(Figure.count(figures.errorStatus()).toString(),
                Figure.count(figures.noResponse()).toString(), Figure.millis(figures.p50()).toString(),
                Figure.millis(figures.p95()).toString(), Figure.millis(figures.p99()).toString(),
                Figure.millis(figures.max()).toString()));
        table.row(cells.toArray(String[]::new));
    }

    private static void events(Timeline timeline, StringBuilder out) {
        if (timeline.events().isEmpty()) {
            return;
        }
        out.append("Events\n");
        TextTable table = new TextTable(Align.RIGHT, Align.LEFT);
        for (TimelineEvent event : timeline.events()) {
            table.row(Rendering.at(event.at()), Rendering.event(event));
        }
        table.appendTo(out, "  ");
        out.append('\n');
    }

    private static void recovery(Evaluation evaluation, StringBuilder out) {
        Optional<ObjectiveResult> recovery = evaluation.results().stream()
                .filter(r -> r.objective() instanceof RecoveryObjective).findFirst();
        String text;
        if (evaluation.timeToRecover().isPresent()) {
            text = Figure.seconds(evaluation.timeToRecover().get()) + " after the revert was verified (counted from the"
                    + " first whole second after it; 1 s resolution)";
        } else if (recovery.isEmpty()) {
            text = "not measured (the experiment has no recovery objective)";
        } else if (recovery.get() instanceof ObjectiveResult.Violated violated) {
            text = "not recovered (" + violated.actual() + " after the revert was verified)";
        } else if (recovery.get() instanceof ObjectiveResult.Unresolved unresolved) {
            text = "not measured: " + unresolved.reason();
        } else {
            text = "not recovered";
        }
        out.append("Time to recover: ").append(text).append("\n\n");
    }

    private static void injector(Timeline timeline, StringBuilder out) {
        if (timeline.injector().isEmpty()) {
            return;
        }
        Duration longest = Duration.ZERO;
        Duration stalled = Duration.ZERO;
        InjectorSample busiest = timeline.injector().get(0);
        for (InjectorSample sample : timeline.injector()) {
            longest = sample.longestStall().compareTo(longest) > 0 ? sample.longestStall() : longest;
            stalled = stalled.plus(sample.stalled());
            busiest = sample.fileDescriptorUsage() > busiest.fileDescriptorUsage() ? sample : busiest;
        }
        out.append("Load generator: longest stall ").append(Figure.millis(longest))
                .append(", stalled ").append(Figure.millis(stalled)).append(" in total");
        if (busiest.maxOpenFiles() > 0) {
            out.append(", at most ").append(Figure.count(busiest.openFiles())).append(" of ")
                    .append(Figure.count(busiest.maxOpenFiles())).append(" file descriptors (")
                    .append(Figure.percent(100 * busiest.fileDescriptorUsage())).append(')');
        }
        out.append("\n\n");
    }

    private void objectives(Evaluation evaluation, StringBuilder out) {
        out.append("Objectives\n");
        if (evaluation.results().isEmpty()) {
            out.append("  (none)\n");
        }
        for (ObjectiveResult result : evaluation.results()) {
            String message = unicode ? result.message() : result.message().replace('×', 'x');
            out.append("  ").append(mark(result.status())).append(' ').append(message).append('\n');
        }
        out.append('\n');
    }

    private static void invalidity(Evaluation evaluation, StringBuilder out) {
        if (evaluation.invalidity().isEmpty()) {
            return;
        }
        out.append(evaluation.verdict() == Verdict.INVALID ? "Why the run is invalid\n" : "What this run could not judge\n");
        for (String reason : evaluation.invalidity()) {
            out.append("  - ").append(reason).append('\n');
        }
        out.append('\n');
    }

    private String mark(ObjectiveResult.Status status) {
        return switch (status) {
            case MET -> unicode ? "✔" : "+";
            case VIOLATED -> unicode ? "✘" : "x";
            case UNRESOLVED -> "?";
        };
    }
}
