package dev.gameday.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes every report of a run into one results directory in one call:
 *
 * <ul>
 *   <li>{@value ConsoleReport#FILE_NAME}: the console report, in UTF-8;</li>
 *   <li>{@value JsonSummaryReport#FILE_NAME}: figures, results and a per-second series (schema: {@link RunSummary});</li>
 *   <li>{@code TEST-gameday-<experiment>.xml}: JUnit XML for CI;</li>
 *   <li>{@value AllureReport#DIRECTORY_NAME}/: Allure results, for {@code allure generate};</li>
 *   <li>{@value HistogramLogReport#FILE_NAME}: the latency histograms, as an HdrHistogram interval log.</li>
 * </ul>
 *
 * <pre>{@code
 * List<Path> written = Reports.writeAll(run, Path.of("target/gameday", run.experiment()));
 * }</pre>
 */
public final class Reports {

    private Reports() {
    }

    /** Every report, in the order {@link #writeAll(RunReport, Path)} writes them. */
    public static List<Report> standard() {
        return List.of(ConsoleReport.unicode(), new JsonSummaryReport(), new JUnitXmlReport(), new AllureReport(),
                new HistogramLogReport());
    }

    /**
     * Writes the {@linkplain #standard() standard reports} into the directory, creating it if it is missing.
     *
     * @return the files written, and the directory of the Allure results
     * @throws IOException the first report's failure, with the failures of the others suppressed; every report is
     *                     attempted, so one that fails does not cost the others
     */
    public static List<Path> writeAll(RunReport run, Path directory) throws IOException {
        return writeAll(run, directory, standard());
    }

    /** Writes the given reports into the directory, as {@link #writeAll(RunReport, Path)} does. */
    public static List<Path> writeAll(RunReport run, Path directory, List<? extends Report> reports) throws IOException {
        Objects.requireNonNull(run, "run");
        Output.directory(directory, "Gameday reports of '" + run.experiment() + "'");
        List<Path> written = new ArrayList<>();
        Exception first = null;
        for (Report report : reports) {
            try {
                written.add(report.write(run, directory));
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e;
                } else if (first != e) {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        return List.copyOf(written);
    }
}
