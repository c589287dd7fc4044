package dev.gameday.reports;

import dev.gameday.assertions.DurabilityObjective;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Figure;
import dev.gameday.assertions.LatencyCriterion;
import dev.gameday.assertions.Objective;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.PhaseObjective;
import dev.gameday.assertions.PhaseSpan;
import dev.gameday.assertions.PhaseSummary;
import dev.gameday.assertions.RecoveryObjective;
import dev.gameday.assertions.SuccessRateCriterion;
import dev.gameday.assertions.ThroughputCriterion;
import dev.gameday.assertions.Verdict;
import dev.gameday.timeline.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The wording and number formats every report shares, so that the same figure reads the same everywhere. */
final class Rendering {

    /** Wall-clock times in reports: UTC, whole seconds, ISO-8601 ({@code 2026-11-22T10:03:30Z}). */
    static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;

    private Rendering() {
    }

    static String instant(Instant instant) {
        return INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /** A phase's place on the timeline, for example {@code 10-30 s}. */
    static String window(PhaseSpan span) {
        return Figure.seconds(span.from()).number() + "-" + Figure.seconds(span.to());
    }

    /** {@code 99.87 %}, or {@code -} where no request was made. */
    static String percent(double percent) {
        return Double.isNaN(percent) ? "-" : Figure.percent(percent).toString();
    }

    /** Where the objective applies on the timeline; empty for the whole run or a phase that did not happen. */
    static Optional<PhaseSpan> span(Objective objective, Evaluation evaluation) {
        return phase(objective).flatMap(evaluation::phase).map(PhaseSummary::span);
    }

    /** The phase an objective is assessed in; empty for objectives about the whole run. */
    static Optional<Phase> phase(Objective objective) {
        if (objective instanceof PhaseObjective phaseObjective) {
            return Optional.of(phaseObjective.phase());
        }
        if (objective instanceof RecoveryObjective) {
            return Optional.of(Phase.RECOVERY);
        }
        return Optional.empty();
    }

    /** The expected side of an objective as text, for example {@code < 500 ms}. */
    static String expected(Objective objective) {
        if (objective instanceof PhaseObjective phaseObjective) {
            return phaseObjective.criterion().expected();
        }
        if (objective instanceof RecoveryObjective recovery) {
            return "< " + Figure.seconds(recovery.within());
        }
        return "0 missing";
    }

    /** The bound the expected side names, as a figure, where the objective names one. */
    static Optional<Figure> expectedFigure(Objective objective) {
        if (objective instanceof PhaseObjective phaseObjective) {
            if (phaseObjective.criterion() instanceof LatencyCriterion latency) {
                return Optional.of(Figure.millis(latency.threshold()));
            }
            if (phaseObjective.criterion() instanceof SuccessRateCriterion success) {
                return Optional.of(Figure.percent(success.minimumPercent()));
            }
            if (phaseObjective.criterion() instanceof ThroughputCriterion throughput) {
                return Optional.of(Figure.perSecond(throughput.minimumPerSecond()));
            }
            return Optional.empty();
        }
        if (objective instanceof RecoveryObjective recovery) {
            return Optional.of(Figure.seconds(recovery.within()));
        }
        if (objective instanceof DurabilityObjective) {
            return Optional.of(Figure.count(0));
        }
        return Optional.empty();
    }

    /** The comparison the expected side makes: {@code <}, {@code >}, {@code >=} or {@code =}. */
    static String comparison(Objective objective) {
        String expected = expected(objective);
        int space = expected.indexOf(' ');
        return objective instanceof DurabilityObjective || space < 0 ? "=" : expected.substring(0, space);
    }

    static Optional<Figure> actual(ObjectiveResult result) {
        if (result instanceof ObjectiveResult.Met met) {
            return Optional.of(met.actual());
        }
        if (result instanceof ObjectiveResult.Violated violated) {
            return Optional.of(violated.actual());
        }
        return Optional.empty();
    }

    /** The context the evaluation gave with a met or violated result, or the reason an unresolved one was not decided. */
    static String detail(ObjectiveResult result) {
        if (result instanceof ObjectiveResult.Met met) {
            return met.detail();
        }
        if (result instanceof ObjectiveResult.Violated violated) {
            return violated.detail();
        }
        return ((ObjectiveResult.Unresolved) result).reason();
    }

    /** {@code +20.4 s}: an event's time since the start of the run. */
    static String at(Duration at) {
        return "+" + Figure.seconds(at);
    }

    /** {@code fault 'redis-timeout' active: PING took 1,000 ms}. */
    static String event(TimelineEvent event) {
        String what = switch (event.kind()) {
            case FAULT_SCHEDULED -> "fault '" + event.subject() + "' scheduled";
            case TRAFFIC_OBSERVED -> "fault '" + event.subject() + "' target traffic";
            case TRAFFIC_MISSING -> "fault '" + event.subject() + "' reached nothing";
            case FAULT_INJECTING -> "fault '" + event.subject() + "' injecting";
            case FAULT_ACTIVE -> "fault '" + event.subject() + "' active";
            case FAULT_RESTORING -> "fault '" + event.subject() + "' restoring";
            case FAULT_RESTORED -> "fault '" + event.subject() + "' restored";
            case FAULT_RESTORE_FAILED -> "fault '" + event.subject() + "' could not be restored";
            case FAULT_INJECTION_FAILED -> "fault '" + event.subject() + "' could not be injected";
            case TARGET_DIED -> "target '" + event.subject() + "' died";
            case TARGET_STARTED -> "target '" + event.subject() + "' started";
            case TARGET_OUT_OF_MEMORY -> "target '" + event.subject() + "' out of memory";
            case TARGET_READY -> "target '" + event.subject() + "' ready again";
            case RECORD_ENDS -> "record ends";
            case RUN_STOPPED -> "run stopped early (fail fast)";
            case NOTE -> event.subject();
        };
        return event.detail().isEmpty() ? what : what + ": " + event.detail();
    }

    /** The headline of the run-validity check: the whole run, or only parts of it, cannot judge the system. */
    static String validityMessage(Evaluation evaluation, List<String> reasons) {
        return (evaluation.verdict() == Verdict.INVALID ? "The run cannot judge the system under test: "
                : "Parts of the run cannot judge the system under test (the violations come from parts that can): ")
                + String.join("; ", reasons);
    }

    static boolean invalid(Evaluation evaluation) {
        return evaluation.verdict() == Verdict.INVALID || !evaluation.invalidity().isEmpty();
    }

    static long count(Evaluation evaluation, ObjectiveResult.Status status) {
        return evaluation.results().stream().filter(r -> r.status() == status).count();
    }

    /**
     * The verdict's reason in a few words: {@code 2 of 8 objectives violated}; followed by any target that died during
     * an assessed phase, which a reader must know before trusting either way: {@code 2 of 8 objectives violated; target
     * 'redis' died at +52.3 s in the fault phase (exit code 137, OOM-killed)}.
     */
    static String verdictReason(RunReport run) {
        List<String> deaths = targetDeaths(run);
        return verdictReason(run.evaluation()) + (deaths.isEmpty() ? "" : "; " + String.join("; ", deaths));
    }

    /** Each target death during an assessed phase (not the warmup), as a sentence. */
    static List<String> targetDeaths(RunReport run) {
        List<String> deaths = new java.util.ArrayList<>();
        for (TimelineEvent event : run.timeline().events()) {
            if (event.kind() != TimelineEvent.Kind.TARGET_DIED) {
                continue;
            }
            for (PhaseSummary phase : run.evaluation().phases()) {
                PhaseSpan span = phase.span();
                if (phase.phase() != Phase.WARMUP && event.at().compareTo(span.from()) >= 0
                        && event.at().compareTo(span.to()) < 0) {
                    deaths.add("target '" + event.subject() + "' died at " + at(event.at()) + " in the "
                            + phase.phase().label() + " phase" + (event.detail().isEmpty() ? "" : " (" + event.detail() + ")"));
                }
            }
        }
        return deaths;
    }

    /** The verdict's reason in a few words: {@code 2 of 8 objectives violated}. */
    static String verdictReason(Evaluation evaluation) {
        int total = evaluation.results().size();
        return switch (evaluation.verdict()) {
            case PASSED -> "all " + total + " objectives met";
            case FAILED -> count(evaluation, ObjectiveResult.Status.VIOLATED) + " of " + total + " objectives violated";
            case INVALID -> "the run cannot judge the system under test ("
                    + plural(evaluation.invalidity().size(), "reason") + " above)";
        };
    }

    static String plural(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }

    /** The name CI systems and Allure know this objective by: {@code gameday.redis-timeouts.fault}. */
    static String className(RunReport run, Objective objective) {
        return suiteName(run) + "." + objective.scope();
    }

    static String suiteName(RunReport run) {
        return "gameday." + run.experiment();
    }

    /** The experiment's name made safe for a file name: letters, digits, dots, dashes and underscores. */
    static String fileSafe(String name) {
        String safe = name.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? "unnamed" : safe;
    }
}
