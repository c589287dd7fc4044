package dev.gameday.assertions;

import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Evaluates an {@link ObjectiveSet} against a {@link Timeline}: derives the phases, checks that the run is valid,
 * measures each phase and time-to-recover, and decides the verdict.
 *
 * <p>Latency is measured twice for every request: from its intended start in the open-model schedule, and from when
 * the load generator actually sent it. The load generator's own delays (a GC pause, a busy machine) can only make the
 * first look worse. So an objective met from the intended start is met; a violation is trusted only if it holds from
 * the actual send too; where the two disagree, the load generator's delay decides the outcome, and the objective is
 * unresolved rather than blamed on the system under test.
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
        Optional<TimelineEvent> stopped = timeline.first(TimelineEvent.Kind.RUN_STOPPED);
        for (Objective objective : objectives.objectives()) {
            ObjectiveResult result;
            Optional<Phase> phase = phaseOf(objective);
            if (stopped.isPresent() && phase.isPresent() && cutShort(phases, objective, stopped.get().at())) {
                ObjectiveResult.Unresolved cut = new ObjectiveResult.Unresolved(objective, "not judged: the run"
                        + " stopped at " + Figure.seconds(stopped.get().at()) + ", before this phase ended, its verdict"
                        + " already known (fail fast; the events say why)");
                results.add(cut);
                invalidity.add(cut.message());
                continue;
            }
            if (phase.isPresent() && !validity.trusted(phase.get())) {
                // the reason is already in the invalidity, once for the phase
                results.add(new ObjectiveResult.Unresolved(objective, UNTRUSTED_INJECTOR));
                continue;
            }
            if (objective instanceof PhaseObjective phaseObjective) {
                result = evaluate(phaseObjective, timeline, phases, objectives.evidence());
            } else if (objective instanceof RecoveryObjective recovery) {
                Recovery found = Recovery.judge(recovery, timeline, phases);
                timeToRecover = found.timeToRecover();
                result = found.result();
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

    /** Whether a run stopped at {@code stop} ended before what decides the objective did (or before it began). */
    private static boolean cutShort(Phases phases, Objective objective, Duration stop) {
        return phases.judgedOver(objective).map(span -> !Phases.endedBy(span, stop)).orElse(true);
    }

    /** The phase an objective is judged in, if it is judged in one. */
    private static Optional<Phase> phaseOf(Objective objective) {
        if (objective instanceof PhaseObjective phaseObjective) {
            return Optional.of(phaseObjective.phase());
        }
        return objective instanceof RecoveryObjective ? Optional.of(Phase.RECOVERY) : Optional.empty();
    }

    private static ObjectiveResult evaluate(PhaseObjective objective, Timeline timeline, Phases phases,
                                            Evidence evidence) {
        Optional<PhaseSpan> span = phases.span(objective.phase());
        if (span.isEmpty()) {
            return new ObjectiveResult.Unresolved(objective, "the " + objective.phase().label()
                    + " phase did not happen in this run" + whyMissing(objective.phase()));
        }
        Window window = timeline.window(span.get().from(), span.get().to());
        Optional<String> shortfall = evidence.shortfall(span.get().length(), window.requests());
        if (shortfall.isPresent()) {
            return new ObjectiveResult.Unresolved(objective, shortfall.get());
        }
        return judge(objective, objective.criterion(), window);
    }

    /**
     * Met if the criterion holds from the intended start; violated only if it fails from the actual send as well;
     * otherwise the load generator's delay made the difference, and nothing is decided.
     */
    static ObjectiveResult judge(Objective objective, Criterion criterion, Window window) {
        Criterion.Check due = criterion.check(window);
        if (!due.observed()) {
            return new ObjectiveResult.Unresolved(objective, due.detail());
        }
        Criterion.Check sent = criterion.check(window.asSent());
        String detail = withSent(due, sent.actual());
        if (due.met()) {
            return new ObjectiveResult.Met(objective, due.actual(), detail);
        }
        if (!sent.met()) {
            return new ObjectiveResult.Violated(objective, criterion.expected(), due.actual(), detail);
        }
        return new ObjectiveResult.Unresolved(objective, "violated when measured from the requests' intended start ("
                + due.actual() + ") but met from their actual send (" + sent.actual() + "): the load generator's own"
                + " delay makes the difference, so this says nothing about the system under test. Give the injector more"
                + " CPU, or lower the rate");
    }

    /** The check's detail, plus the figure from the actual send where it differs from the one from the intended start. */
    private static String withSent(Criterion.Check due, Figure sent) {
        if (sent.number().equals(due.actual().number())) {
            return due.detail();
        }
        String fromSend = sent + " from the actual send";
        return due.detail().isEmpty() ? fromSend : due.detail() + "; " + fromSend;
    }

    private static String whyMissing(Phase phase) {
        return switch (phase) {
            case FAULT -> ": no fault was confirmed active";
            case RECOVERY, AFTER -> ": the fault never took effect, or was not confirmed reverted before the load ended";
            default -> "";
        };
    }

    private static ObjectiveResult evaluate(DurabilityObjective objective, Optional<DurabilityEvidence> evidence) {
        if (evidence.isEmpty()) {
            return new ObjectiveResult.Unresolved(objective, "no durability check ran; give the experiment a durability"
                    + " check or drop the objective");
        }
        DurabilityEvidence found = evidence.get();
        if (found.error().isPresent()) {
            return new ObjectiveResult.Unresolved(objective, "the durability check of the " + found.store()
                    + " crashed, so nothing was checked: " + found.error().get());
        }
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

    /**
     * Time to recover, judged on what happened after the verified revert.
     *
     * <p>Candidate recovery times are the whole seconds from the first whole second after the verified revert ({@code
     * first}) to the end of the recovery bound. The system has recovered at {@code t} when every window of
     * {@code holdFor} starting at {@code t} or later, up to the end of the bound, meets every steady-state criterion: a
     * recovery that relapses within the bound is no recovery. Time to recover is {@code t - first}, so a system that
     * never degraded recovers in 0 s; its resolution is one second. A window the run did not reach, or with no request
     * in it, is not observed: when that decides the outcome, the objective is unresolved, never violated.
     */
    private record Recovery(ObjectiveResult result, Optional<Duration> timeToRecover) {

        private enum State { HOLDS, FAILS, UNOBSERVED }

        static Recovery judge(RecoveryObjective objective, Timeline timeline, Phases phases) {
            if (phases.heal().isEmpty()) {
                return new Recovery(new ObjectiveResult.Unresolved(objective, "the fault never took effect, or was not"
                        + " confirmed reverted, so no recovery could be observed"), Optional.empty());
            }
            Duration heal = phases.heal().get();
            Duration first = Phases.ceilSeconds(heal);
            Scan due = scan(objective, timeline, first, UnaryOperator.identity());
            String criteria = String.join(" and ", objective.steadyState().stream().map(Criterion::describe).toList());
            String counted = "counted from " + Figure.seconds(first) + ", the first whole second after the revert was"
                    + " verified at " + Figure.seconds(heal) + "; 1 s resolution";
            if (due.recoveredAt().isPresent()) {
                Duration at = due.recoveredAt().get();
                Duration ttr = at.minus(first);
                String detail = criteria + " held from " + Figure.seconds(at) + " into the run to the end of the bound"
                        + due.relapseNote() + " (" + counted + ")";
                return new Recovery(new ObjectiveResult.Met(objective, Figure.seconds(ttr), detail), Optional.of(ttr));
            }
            Scan sent = scan(objective, timeline, first, Window::asSent);
            if (sent.recoveredAt().isPresent()) {
                return new Recovery(new ObjectiveResult.Unresolved(objective, "measured from the requests' intended start"
                        + " the system did not recover within " + Figure.seconds(objective.within()) + ", but measured"
                        + " from their actual send it did, " + Figure.seconds(sent.recoveredAt().get().minus(first))
                        + " after the revert: the load generator's own delay makes the difference, so this says nothing"
                        + " about the system under test"), Optional.empty());
            }
            if (!sent.violated()) {
                return new Recovery(new ObjectiveResult.Unresolved(objective, "the load ended at "
                        + Figure.seconds(timeline.end()) + ", " + Figure.seconds(timeline.end().minus(heal))
                        + " after the revert was verified, before it could be told whether " + criteria + " would hold"
                        + " within " + Figure.seconds(objective.within()) + " for " + Figure.seconds(objective.holdFor())
                        + "; lengthen the run after the fault"), Optional.empty());
            }
            String detail = "not recovered within the bound" + due.relapseNote() + "; last "
                    + Figure.seconds(objective.holdFor()) + " of the bound: " + due.lastMisses() + " (" + counted + ")";
            return new Recovery(new ObjectiveResult.Violated(objective, "< " + Figure.seconds(objective.within()),
                    Figure.seconds(objective.within()).orMore(), detail), Optional.empty());
        }

        private record Scan(Optional<Duration> recoveredAt, boolean violated, Optional<Duration> relapse,
                            String lastMisses) {
            String relapseNote() {
                return relapse.map(at -> ", after a relapse at " + Figure.seconds(at) + " into the run").orElse("");
            }
        }

        private static Scan scan(RecoveryObjective objective, Timeline timeline, Duration first,
                                 UnaryOperator<Window> measure) {
            long from = first.toSeconds();
            long last = from + (long) Math.ceil(objective.within().toNanos() / 1e9) - 1;
            Duration hold = objective.holdFor();
            State[] states = new State[(int) (last - from + 1)];
            String lastMisses = "";
            for (long t = from; t <= last; t++) {
                Duration start = Duration.ofSeconds(t);
                Window window = measure.apply(timeline.window(start, start.plus(hold)));
                State state;
                if (start.plus(hold).compareTo(timeline.end()) > 0 || window.isEmpty()) {
                    state = State.UNOBSERVED;
                } else {
                    List<String> figures = new ArrayList<>();
                    boolean holds = true;
                    boolean observed = true;
                    for (Criterion criterion : objective.steadyState()) {
                        Criterion.Check check = criterion.check(window);
                        observed &= check.observed();
                        holds &= check.met();
                        figures.add(criterion.describe() + ": " + check.actual());
                    }
                    state = !observed ? State.UNOBSERVED : holds ? State.HOLDS : State.FAILS;
                    lastMisses = String.join(", ", figures);
                }
                states[(int) (t - from)] = state;
            }
            Optional<Duration> relapse = Optional.empty();
            int lastFail = -1;
            for (int i = 0; i < states.length; i++) {
                if (states[i] == State.FAILS) {
                    lastFail = i;
                    if (relapse.isEmpty() && i > 0 && states[i - 1] == State.HOLDS) {
                        relapse = Optional.of(Duration.ofSeconds(from + i));
                    }
                }
            }
            int candidate = lastFail + 1;
            if (candidate >= states.length) {
                return new Scan(Optional.empty(), true, relapse, lastMisses);
            }
            for (int i = candidate; i < states.length; i++) {
                if (states[i] != State.HOLDS) {
                    return new Scan(Optional.empty(), false, relapse, lastMisses);
                }
            }
            return new Scan(Optional.of(Duration.ofSeconds(from + candidate)), false, relapse, lastMisses);
        }
    }
}
