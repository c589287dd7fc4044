package dev.gameday.junit;

import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.Verdict;
import dev.gameday.reports.ConsoleReport;
import dev.gameday.scenarios.ExperimentResult;
import java.util.List;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/** Turns a verdict the test did not expect into the assertion error that fails it, explained as the report does. */
final class Explanations {

    static final String NOT_A_VERDICT = "this is not a verdict on the system under test: the run could not judge it";

    private Explanations() {
    }

    /** Empty when the verdict is the expected one. */
    static Optional<AssertionFailedError> check(Verdict expected, ExperimentResult result) {
        Verdict verdict = result.verdict();
        if (verdict == expected) {
            return Optional.empty();
        }
        Evaluation evaluation = result.evaluation();
        StringBuilder message = new StringBuilder("Experiment '").append(result.report().experiment())
                .append("' against ").append(result.report().environment()).append(": ");
        ObjectiveResult.Violated first = null;
        switch (verdict) {
            case FAILED -> {
                message.append(evaluation.headline());
                if (expected != Verdict.PASSED) {
                    message.append(" (").append(expected).append(" was expected)");
                }
                for (ObjectiveResult violation : evaluation.violations()) {
                    message.append("\n  ").append(violation.message());
                    if (first == null) {
                        first = (ObjectiveResult.Violated) violation;
                    }
                }
                unresolved(evaluation).forEach(r -> message.append("\n  ").append(r.message()));
            }
            case INVALID -> {
                message.append("INVALID: ").append(NOT_A_VERDICT).append(", because:");
                List<String> reasons = evaluation.invalidity().isEmpty()
                        ? List.of("the evaluation gave no reason") : evaluation.invalidity();
                reasons.forEach(reason -> message.append("\n  - ").append(reason));
                unresolved(evaluation).forEach(r -> message.append("\n  - ").append(r.message()));
            }
            case PASSED -> message.append(evaluation.headline()).append(", but ").append(expected)
                    .append(" was expected").append(expected == Verdict.FAILED
                            ? ": a negative control must fail; if it passes, the experiment cannot tell a flawed system"
                            + " from a sound one" : "");
        }
        message.append("\nReport: ").append(result.directory().resolve(ConsoleReport.FILE_NAME).toAbsolutePath());
        return Optional.of(first == null
                ? new AssertionFailedError(message.toString())
                : new AssertionFailedError(message.toString(), first.expected(), first.actual().toString()));
    }

    private static List<ObjectiveResult> unresolved(Evaluation evaluation) {
        return evaluation.results().stream().filter(r -> r.status() == ObjectiveResult.Status.UNRESOLVED).toList();
    }
}
