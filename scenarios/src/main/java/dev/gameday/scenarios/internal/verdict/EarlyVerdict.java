package dev.gameday.scenarios.internal.verdict;

import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.Objective;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseSpan;
import dev.gameday.assertions.Phases;
import dev.gameday.assertions.Validity;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Whether a run that is still going already has its verdict, so that a fail-fast run can stop: an objective violated
 * in a phase that has ended (and whose requests have all ended; for a recovery objective, the hold after its bound
 * too), or a fault that cannot have reached the system under test, could not be injected or could not be reverted. A
 * phase still under way is never judged: its p95 or success rate may yet come back within bounds, so only whole phases
 * decide, judged exactly as at the end of the run ({@link Phases#judgedOver}, the same rule the evaluator applies to
 * a stopped run).
 *
 * <pre>{@code
 * EarlyVerdict early = new EarlyVerdict(objectives, warmup, requestTimeout.plusSeconds(2));
 * Optional<String> reason = early.reason(recorder.skeleton(), recorder::snapshot, recorder.elapsed(),
 *         recorder::inFlight);
 * }</pre>
 */
public final class EarlyVerdict {

    private final ObjectiveSet objectives;
    private final Duration warmup;
    private final Duration settledAfter;
    /** Objectives found decided so far: the evaluation runs again only when more are, not every second. */
    private int decided;

    /**
     * @param objectives   what must hold
     * @param warmup       the leading time that is not assessed
     * @param settledAfter after this long past a phase's end, no request of it can still be in flight (the request
     *                     timeout and a margin): the phase is judged even if the count of requests in flight says
     *                     otherwise
     */
    public EarlyVerdict(ObjectiveSet objectives, Duration warmup, Duration settledAfter) {
        this.objectives = objectives;
        this.warmup = warmup;
        this.settledAfter = settledAfter;
    }

    /**
     * Why the run's verdict is already known (every violation found so far, or what makes the run unable to pass), or
     * empty while it is not.
     *
     * @param skeleton what was recorded so far, without the requests ({@code TimelineRecorder.skeleton()}): where
     *                 the phases lie
     * @param timeline everything recorded so far, taken only when an objective has become decidable
     * @param now      time since the origin
     * @param inFlight requests due in {@code [from, to)} still without an outcome
     */
    public synchronized Optional<String> reason(Timeline skeleton, Supplier<Timeline> timeline, Duration now,
                                                BiFunction<Duration, Duration, Long> inFlight) {
        Optional<TimelineEvent> invalid = Validity.finalProblem(skeleton);
        if (invalid.isPresent()) {
            return Optional.of("the run cannot pass: fault '" + invalid.get().subject() + "': "
                    + invalid.get().detail());
        }
        Phases phases = Phases.derive(skeleton, warmup, objectives.recoveryBound());
        Set<Objective> settled = new HashSet<>();
        for (Objective objective : objectives.objectives()) {
            Optional<PhaseSpan> over = phases.judgedOver(objective);
            if (over.isPresent() && over.get().phase() != Phase.WARMUP && settled(over.get(), now, inFlight)) {
                settled.add(objective);
            }
        }
        if (settled.size() <= decided) {
            return Optional.empty();
        }
        decided = settled.size();
        Evaluation evaluation = Evaluator.evaluate(timeline.get(), objectives, warmup, Optional.empty());
        List<String> violations = evaluation.results().stream()
                .filter(result -> result.status() == ObjectiveResult.Status.VIOLATED)
                .filter(result -> settled.contains(result.objective()))
                .map(ObjectiveResult::message)
                .toList();
        return violations.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", violations));
    }

    /** Whether every request of the phase has its outcome: it ended a second ago and none is in flight, or long ago. */
    private boolean settled(PhaseSpan span, Duration now, BiFunction<Duration, Duration, Long> inFlight) {
        if (!Phases.endedBy(span, now)) {
            return false;
        }
        return span.to().plus(settledAfter).compareTo(now) <= 0 || inFlight.apply(span.from(), span.to()) == 0;
    }
}
