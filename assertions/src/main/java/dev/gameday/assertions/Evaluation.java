package dev.gameday.assertions;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the assertions decided about one run: the verdict, why, and the figures behind it.
 *
 * @param verdict       passed, failed or invalid
 * @param results       one result per objective, in the objective set's order
 * @param invalidity    why the run, or some of its phases, cannot judge the system under test; empty when all of it
 *                      can. A FAILED run may have some: its violations were seen in phases that could be trusted
 * @param phases        the figures of each phase that happened
 * @param timeToRecover from the verified heal to recovery, when it was measured and recovery happened
 */
public record Evaluation(Verdict verdict, List<ObjectiveResult> results, List<String> invalidity,
                         List<PhaseSummary> phases, Optional<Duration> timeToRecover) {

    public Evaluation {
        results = List.copyOf(results);
        invalidity = List.copyOf(invalidity);
        phases = List.copyOf(phases);
    }

    public List<ObjectiveResult> violations() {
        return results.stream().filter(r -> r.status() == ObjectiveResult.Status.VIOLATED).toList();
    }

    private long undecided() {
        return results.stream().filter(r -> r.status() == ObjectiveResult.Status.UNRESOLVED).count();
    }

    public Optional<PhaseSummary> phase(Phase phase) {
        return phases.stream().filter(summary -> summary.phase() == phase).findFirst();
    }

    /** One line for logs and exception messages: the verdict and its reasons. */
    public String headline() {
        return switch (verdict) {
            case PASSED -> "PASSED: all " + results.size() + " objectives met";
            case FAILED -> "FAILED: " + violations().size() + " of " + results.size() + " objectives violated"
                    + (undecided() == 0 ? "" : "; " + undecided() + " could not be judged");
            case INVALID -> "INVALID: " + String.join("; ", invalidity);
        };
    }
}
