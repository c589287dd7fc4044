package dev.gameday.scenarios;

import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Verdict;
import dev.gameday.reports.RunReport;
import java.nio.file.Path;
import java.util.List;

/**
 * What one run of an experiment produced: the report (timeline and evaluation) and where its files were written.
 *
 * @param report    what happened and what was decided
 * @param directory the run's results directory
 * @param files     the files written there
 */
public record ExperimentResult(RunReport report, Path directory, List<Path> files) {

    public ExperimentResult {
        files = List.copyOf(files);
    }

    public Verdict verdict() {
        return report.evaluation().verdict();
    }

    public Evaluation evaluation() {
        return report.evaluation();
    }
}
