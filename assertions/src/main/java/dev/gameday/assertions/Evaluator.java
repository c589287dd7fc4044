package dev.gameday.assertions;

import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates an {@link ObjectiveSet} against a {@link Timeline}: derives the phases, checks that the run is valid,
 * measures each phase and time-to-recover, and decides the verdict.
 *
 * <pre>{@code
 * Evaluation evaluation = Evaluator.evaluate(timeline, objectives, Duration.ofSeconds(10), Optional.of(evidence));
 * if (evaluation.verdict() != Verdict.PASSED) {
 *     throw new AssertionError(evaluation.headline());
 * }
 * }</pre>
 */
public final class Evaluator {

    /** Why an objective in a phase where the load generator had trouble is not decided. */
    static final String UNTRUSTED_INJECTOR = "the load generator could not be trusted in this phase, so it says nothing"
            + " about the system under test";

    private Evaluator() {
    }

    /** The phase an objective is judged in, if it is judged in one. */
    private static Optional<Phase> phaseOf(Objective objective) {
        if (objective instanceof PhaseObjective phaseObjective) {
            return Optional.of(phaseObjective.phase());
        }
        return objective instanceof RecoveryObjective ? Optional.of(Phase.RECOVERY) : Optional.empty();
    }

    /**
     * @param timeline   what was recorded
     * @param objectives what must hold
     * @param warmup     leading time that is not assessed
     * @param durability what the durability check found, if one ran
     */
    public static Evaluation evaluate(Timeline timeline, ObjectiveSet objectives, Duration warmup,
                                      Optional<DurabilityEvidence> durability) {
        Phases phases = Phases.derive(timeline, warmup, objectives.recoveryBound());
        Validity.Findings validity = Validity.check(timeline, phases);
        List<String> invalidity = new ArrayList<>(validity.all());
        Optional<Duration> timeToRecover = Optional.empty();
        List<ObjectiveResult> results = new ArrayList<>();
        for (Objective objective : objectives.objectives()) {
            ObjectiveResult result;
            Optional<Phase> phase = phaseOf(objective);
            if (phase.isPresent() && !validity.trusted(phase.get())) {
                // the reason is already in the invalidity, once for the phase
                results.add(new ObjectiveResult.Unresolved(objective, UNTRUSTED_INJECTOR));
                continue;
            }
            if (objective instanceof PhaseObjective phaseObjective) {
                result = evaluate(phaseObjective, timeline, phases);
            } else if (objective instanceof RecoveryObjective recovery) {
                timeToRecover = timeToRecover(recovery, timeline, phases);
                result = evaluate(recovery, timeToRecover, timeline, phases);
            } else {
                result = evaluate((DurabilityObjective) objective, durability);
            }
            results.add(result);
            if (result instanceof ObjectiveResult.Unresolved unresolved) {
                invalidity.add(unresolved.message());
            }
        }
        boolean violated = results.stream().anyMatch(r -> r.status() == ObjectiveResult.Status.VIOLATED);
        // A violation seen while the injector could be trusted fails the system, whatever happened in other phases.
        Verdict verdict = !validity.run().isEmpty() ? Verdict.INVALID
                : violated ? Verdict.FAILED
                : !invalidity.isEmpty() ? Verdict.INVALID
                : Verdict.PASSED;
        return new Evaluation(verdict, results, invalidity, summaries(timeline, phases), timeToRecover);
    }

    private static ObjectiveResult evaluate(PhaseObjective objective, Timeline timeline, Phases phases) {
        Optional<PhaseSpan> span = phases.span(objective.phase());
        if (span.isEmpty()) {
            return new ObjectiveResult.Unresolved(objective, "the " + objective.phase().label()
                    + " phase did not happen in this run" + whyMissing(objective.phase()));
        }
        Window window = timeline.window(span.get().from(), span.get().to());
        if (window.isEmpty()) {
            return new ObjectiveResult.Unresolved(objective, "no request started in it");
        }
        Criterion.Check check = objective.criterion().check(window);
        return check.met()
                ? new ObjectiveResult.Met(objective, check.actual(), check.detail())
                : new ObjectiveResult.Violated(objective, objective.criterion().expected(), check.actual(), check.detail());
    }

    private static String whyMissing(Phase phase) {
        return switch (phase) {
            case FAULT -> ": no fault was confirmed active";
            case RECOVERY, AFTER -> ": the fault never took effect, or was not confirmed reverted before the load ended";
            default -> "";
        };
    }

    /** The start of the first whole-second window of holdFor after the heal in which every criterion holds. */
    private static Optional<Duration> timeToRecover(RecoveryObjective objective, Timeline timeline, Phases phases) {
        if (phases.heal().isEmpty()) {
            return Optional.empty();
        }
        Duration heal = phases.heal().get();
        Duration end = timeline.end();
        for (Duration start = Phases.ceilSeconds(heal); start.plus(objective.holdFor()).compareTo(end) <= 0;
             start = start.plusSeconds(1)) {
            Window window = timeline.window(start, start.plus(objective.holdFor()));
            if (!window.isEmpty() && objective.steadyState().stream().allMatch(c -> c.check(window).met())) {
                return Optional.of(start.minus(heal));
            }
        }
        return Optional.empty();
    }

    private static ObjectiveResult evaluate(RecoveryObjective objective, Optional<Duration> timeToRecover,
                                            Timeline timeline, Phases phases) {
        if (phases.heal().isEmpty()) {
            return new ObjectiveResult.Unresolved(objective, "the fault never took effect, or was not confirmed"
                    + " reverted, so no recovery could be observed");
        }
        Duration heal = phases.heal().get();
        String criteria = String.join(" and ", objective.steadyState().stream().map(Criterion::describe).toList());
        if (timeToRecover.isPresent()) {
            Duration ttr = timeToRecover.get();
            String detail = criteria + " held for " + Figure.seconds(objective.holdFor()) + " from "
                    + Figure.seconds(heal.plus(ttr)) + " into the run";
            return ttr.compareTo(objective.within()) < 0
                    ? new ObjectiveResult.Met(objective, Figure.seconds(ttr), detail)
                    : new ObjectiveResult.Violated(objective, "< " + Figure.seconds(objective.within()), Figure.seconds(ttr), detail);
        }
        Duration observed = timeline.end().minus(heal);
        if (observed.compareTo(objective.holdFor()) < 0) {
            return new ObjectiveResult.Unresolved(objective, "the load ended " + Figure.seconds(observed)
                    + " after the heal, less than the " + Figure.seconds(objective.holdFor())
                    + " the criteria must hold; lengthen the run after the fault");
        }
        Duration lastFrom = Phases.floorSeconds(timeline.end().minus(objective.holdFor()));
        Window last = timeline.window(lastFrom, timeline.end());
        List<String> misses = objective.steadyState().stream()
                .map(c -> c.describe() + ": " + c.check(last).actual()).toList();
        return new ObjectiveResult.Violated(objective, "< " + Figure.seconds(objective.within()),
                Figure.seconds(Phases.floorSeconds(observed)).orMore(),
                "not recovered while observed; last " + Figure.seconds(objective.holdFor()) + ": " + String.join(", ", misses));
    }

    private static ObjectiveResult evaluate(DurabilityObjective objective, Optional<DurabilityEvidence> evidence) {
        if (evidence.isEmpty()) {
            return new ObjectiveResult.Unresolved(objective, "no durability check ran; give the experiment a durability"
                    + " check or drop the objective");
        }
        DurabilityEvidence found = evidence.get();
        if (found.acknowledged() == 0) {
            return new ObjectiveResult.Unresolved(objective, "no write was acknowledged, so durability is untested");
        }
        if (found.missing() == 0) {
            return new ObjectiveResult.Met(objective, Figure.count(found.acknowledged()),
                    "all acknowledged writes found in the " + found.store());
        }
        return new ObjectiveResult.Violated(objective, "0 missing", Figure.count(found.missing()),
                "missing from the " + found.store() + " out of " + Figure.count(found.acknowledged())
                        + " acknowledged, for example " + found.missingSample());
    }

    private static List<PhaseSummary> summaries(Timeline timeline, Phases phases) {
        List<PhaseSummary> summaries = new ArrayList<>();
        for (PhaseSpan span : phases.spans()) {
            Map<String, Figures> bySeries = new LinkedHashMap<>();
            for (String series : timeline.series()) {
                bySeries.put(series, Figures.of(timeline.window(span.from(), span.to(), series)));
            }
            summaries.add(new PhaseSummary(span, Figures.of(timeline.window(span.from(), span.to())), bySeries));
        }
        return summaries;
    }
}
