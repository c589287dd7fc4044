package dev.gameday.reports;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One way of rendering a {@link RunReport} into a results directory: a console text, a JSON summary, JUnit XML,
 * Allure results or a histogram log. A report renders what the evaluation decided; it never decides anything.
 *
 * <pre>{@code
 * Path summary = new JsonSummaryReport().write(run, Path.of("target/gameday/redis-timeouts"));
 * }</pre>
 *
 * @see Reports#writeAll(RunReport, Path)
 */
public interface Report {

    /**
     * Writes this report about the run into the directory, creating the directory if it is missing.
     *
     * @return the file written, or the directory for reports that consist of several files (Allure results)
     * @throws IOException naming the file that could not be written and what to check
     */
    Path write(RunReport run, Path directory) throws IOException;
}
