package dev.gameday.assertions;

import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The phases an experiment actually went through, derived from its timeline.
 *
 * <p>Boundaries are whole seconds, because the timeline keeps one interval per second. A second in which the fault
 * started or ended belongs to the fault phase, so the baseline and the phases after it never contain a moment of
 * fault; time-to-recover therefore has a resolution of one second.
 *
 * @param spans the phases that happened, in order
 * @param heal  when the fault's revert was verified, if it was
 */
public record Phases(List<PhaseSpan> spans, Optional<Duration> heal) {

    public Phases {
        spans = List.copyOf(spans);
    }

    /**
     * Derives the phases of a timeline.
     *
     * @param timeline      what was recorded
     * @param warmup        the leading time that is not assessed
     * @param recoveryBound how long after the heal the recovery phase lasts before the after phase begins
     */
    public static Phases derive(Timeline timeline, Duration warmup, Duration recoveryBound) {
        Duration end = timeline.end();
        Duration warmupEnd = min(ceilSeconds(warmup), end);
        List<PhaseSpan> spans = new ArrayList<>();
        add(spans, Phase.WARMUP, Duration.ZERO, warmupEnd);
        Optional<TimelineEvent> injecting = timeline.first(TimelineEvent.Kind.FAULT_INJECTING);
        Optional<TimelineEvent> active = timeline.first(TimelineEvent.Kind.FAULT_ACTIVE);
        Optional<TimelineEvent> restored = timeline.last(TimelineEvent.Kind.FAULT_RESTORED);
        if (injecting.isEmpty()) {
            add(spans, Phase.BASELINE, warmupEnd, end);
            return new Phases(spans, Optional.empty());
        }
        Duration faultStart = max(warmupEnd, floorSeconds(injecting.get().at()));
        add(spans, Phase.BASELINE, warmupEnd, faultStart);
        if (active.isEmpty()) {
            // The fault never took effect: there is nothing to call a fault phase, nor anything to recover from.
            return new Phases(spans, Optional.empty());
        }
        Duration faultEnd = restored.map(event -> min(end, ceilSeconds(event.at()))).orElse(end);
        add(spans, Phase.FAULT, faultStart, faultEnd);
        if (restored.isPresent()) {
            Duration recoveryEnd = min(end, faultEnd.plus(ceilSeconds(recoveryBound)));
            add(spans, Phase.RECOVERY, faultEnd, recoveryEnd);
            add(spans, Phase.AFTER, recoveryEnd, end);
        }
        return new Phases(spans, restored.map(TimelineEvent::at));
    }

    /**
     * How long after a phase's end its requests are taken to be all sent: a second, the timeline's resolution (the
     * requests due in its last second leave within it).
     */
    public static final Duration SETTLING = Duration.ofSeconds(1);

    /**
     * Whether {@code span} had ended, and its requests had all been sent, by {@code at}: a run stopped at {@code at}
     * judges the phases that had, and no other.
     *
     * <pre>{@code
     * boolean judged = Phases.endedBy(phases.span(Phase.FAULT).orElseThrow(), Duration.ofSeconds(42));
     * }</pre>
     */
    public static boolean endedBy(PhaseSpan span, Duration at) {
        return span.to().plus(SETTLING).compareTo(at) <= 0;
    }

    /**
     * The time whose requests decide an objective: its phase, and for a recovery objective its phase plus the
     * {@linkplain RecoveryObjective#holdFor() hold} that a recovery late in the bound must still show; empty for an
     * objective judged on the whole run, or whose phase did not happen.
     *
     * <pre>{@code
     * boolean decided = phases.judgedOver(objective).map(span -> Phases.endedBy(span, now)).orElse(false);
     * }</pre>
     */
    public Optional<PhaseSpan> judgedOver(Objective objective) {
        if (objective instanceof PhaseObjective phaseObjective) {
            return span(phaseObjective.phase());
        }
        if (objective instanceof RecoveryObjective recovery) {
            return span(Phase.RECOVERY).map(span -> new PhaseSpan(Phase.RECOVERY, span.from(),
                    span.to().plus(ceilSeconds(recovery.holdFor()))));
        }
        return Optional.empty();
    }

    public Optional<PhaseSpan> span(Phase phase) {
        return spans.stream().filter(span -> span.phase() == phase).findFirst();
    }

    private static void add(List<PhaseSpan> spans, Phase phase, Duration from, Duration to) {
        if (to.compareTo(from) > 0) {
            spans.add(new PhaseSpan(phase, from, to));
        }
    }

    static Duration floorSeconds(Duration duration) {
        return Duration.ofSeconds(Math.floorDiv(duration.toNanos(), 1_000_000_000L));
    }

    static Duration ceilSeconds(Duration duration) {
        return Duration.ofSeconds(-Math.floorDiv(-duration.toNanos(), 1_000_000_000L));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
