package dev.gameday.reports;

import dev.gameday.assertions.Figure;
import dev.gameday.assertions.PhaseSummary;
import dev.gameday.reports.TextTable.Align;
import dev.gameday.timeline.ServerSample;
import java.util.List;
import java.util.Map;

/**
 * The console's table of server-side series: per series and phase, how many readings were taken and how many could
 * not be, and the lowest, highest and last value read.
 */
final class ServerSeriesTable {

    private ServerSeriesTable() {
    }

    static void appendTo(RunReport run, StringBuilder out) {
        Map<String, List<ServerSample>> server = run.timeline().serverSeries();
        if (server.isEmpty()) {
            return;
        }
        out.append("Server-side series (the system's own metrics, read by the harness about once a second)\n");
        TextTable table = new TextTable(Align.LEFT, Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT,
                Align.RIGHT)
                .row("series", "phase", "readings", "missing", "min", "max", "last");
        for (String name : server.keySet()) {
            boolean first = true;
            for (PhaseSummary phase : run.evaluation().phases()) {
                List<ServerSample> samples = run.timeline().window(phase.span().from(), phase.span().to())
                        .serverSamples(name);
                List<Double> values = samples.stream().filter(s -> !s.isMissing())
                        .map(s -> s.value().getAsDouble()).toList();
                table.row(first ? name : "", phase.phase().label(), Figure.count(values.size()).toString(),
                        Figure.count(samples.size() - values.size()).toString(),
                        values.isEmpty() ? "-" : Figure.value(values.stream().mapToDouble(v -> v).min().orElseThrow()).toString(),
                        values.isEmpty() ? "-" : Figure.value(values.stream().mapToDouble(v -> v).max().orElseThrow()).toString(),
                        values.isEmpty() ? "-" : Figure.value(values.get(values.size() - 1)).toString());
                first = false;
            }
        }
        table.appendTo(out, "  ");
        out.append('\n');
    }
}
