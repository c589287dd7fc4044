package dev.gameday.assertions;

import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what a run can judge the system under test on. Load-generator trouble is never blamed on the system: in a
 * phase where the injector could not offer the load or ran out of file descriptors, that phase's objectives cannot be
 * decided. (Its stalls are not a reason here: latencies are measured from each request's intended start, so a stall
 * only makes the system look worse, and the evaluator trusts a latency violation only if it holds from the actual
 * send too.) A run whose fault was never attempted, never took effect, never reached the system under test or was
 * never reverted cannot judge anything. A run stopped early on purpose ({@link TimelineEvent.Kind#RUN_STOPPED}) is
 * judged on the phases that had ended; the faults it never reached and the phase it cut short are no problem.
 */
public final class Validity {

    /**
     * What the checks found.
     *
     * @param run    problems that make the whole run unfit to judge the system (its fault did not behave)
     * @param phases per phase, why the load generator cannot be trusted in it
     */
    public record Findings(List<String> run, Map<Phase, List<String>> phases) {
        public Findings {
            run = List.copyOf(run);
            EnumMap<Phase, List<String>> copy = new EnumMap<>(Phase.class);
            phases.forEach((phase, problems) -> copy.put(phase, List.copyOf(problems)));
            phases = Collections.unmodifiableMap(copy);
        }

        /** Whether the load generator can be trusted in this phase. */
        public boolean trusted(Phase phase) {
            return phases.getOrDefault(phase, List.of()).isEmpty();
        }

        /** Every problem, the run's first, then the phases' in phase order. */
        public List<String> all() {
            List<String> all = new ArrayList<>(run);
            phases.values().forEach(all::addAll);
            return all;
        }
    }

    /** The injector must start at least this share of the requests the offered load called for, in every phase. */
    public static final double MIN_OFFERED_SHARE = 0.95;
    /** The injector may use at most this share of its file descriptor limit. */
    public static final double MAX_FILE_DESCRIPTOR_USAGE = 0.90;

    private Validity() {
    }

    /** What can and cannot be judged in this run. */
    public static Findings check(Timeline timeline, Phases phases) {
        Map<Phase, List<String>> perPhase = new EnumMap<>(Phase.class);
        Optional<Duration> stopped = timeline.first(TimelineEvent.Kind.RUN_STOPPED).map(TimelineEvent::at);
        for (PhaseSpan span : phases.spans()) {
            // a phase a stop cut short is not judged, so its load (cut off mid-request) is not either
            boolean cut = stopped.isPresent() && !Phases.endedBy(span, stopped.get());
            if (span.phase() != Phase.WARMUP && !cut) {
                List<String> problems = injectorProblems(timeline, span);
                if (!problems.isEmpty()) {
                    perPhase.put(span.phase(), problems);
                }
            }
        }
        return new Findings(faultProblems(timeline), perPhase);
    }

    /**
     * The first event after which the run cannot pass whatever follows, if one was recorded: its fault met no
     * traffic, could not be injected, or could not be reverted. A judge that stops runs early stops on it.
     *
     * <pre>{@code
     * Validity.finalProblem(recorder.skeleton()).ifPresent(event -> stop("cannot pass: " + event.detail()));
     * }</pre>
     */
    public static Optional<TimelineEvent> finalProblem(Timeline timeline) {
        return timeline.events().stream().filter(event -> switch (event.kind()) {
            case TRAFFIC_MISSING, FAULT_INJECTION_FAILED, FAULT_RESTORE_FAILED -> true;
            default -> false;
        }).findFirst();
    }

    private static List<String> faultProblems(Timeline timeline) {
        List<String> reasons = new ArrayList<>();
        for (TimelineEvent event : timeline.events()) {
            switch (event.kind()) {
                case FAULT_SCHEDULED -> {
                    // a run stopped early on purpose (its verdict known) never reaches the faults still due
                    if (timeline.events().stream().noneMatch(e -> e.kind() == TimelineEvent.Kind.FAULT_INJECTING
                            && e.subject().equals(event.subject()))
                            && timeline.first(TimelineEvent.Kind.RUN_STOPPED).isEmpty()) {
                        reasons.add("Fault '" + event.subject() + "' was scheduled (" + event.detail() + ") but never"
                                + " attempted before the load ended, so the experiment tested nothing. Check that the"
                                + " load lasts past the fault's start.");
                    }
                }
                case TRAFFIC_MISSING -> reasons.add(event.detail());
                case RECORD_ENDS -> reasons.add("The record of this run ends at " + Figure.seconds(event.at()) + ": "
                        + event.detail() + ". A partial record is never a pass; run the experiment again.");
                case FAULT_INJECTION_FAILED -> reasons.add("Fault '" + event.subject() + "' could not be injected: "
                        + event.detail() + ". The experiment tested nothing; fix the fault's target and run it again.");
                case FAULT_RESTORE_FAILED -> reasons.add("Fault '" + event.subject() + "' could not be reverted: "
                        + event.detail() + ". Figures after it cannot be trusted; check the environment by hand.");
                default -> { }
            }
        }
        // per fault: several faults on one clock are each judged on their own events
        for (String subject : timeline.events().stream().filter(e -> e.kind() == TimelineEvent.Kind.FAULT_INJECTING)
                .map(TimelineEvent::subject).distinct().toList()) {
            boolean active = has(timeline, TimelineEvent.Kind.FAULT_ACTIVE, subject);
            boolean restored = has(timeline, TimelineEvent.Kind.FAULT_RESTORED, subject);
            if (!active && !has(timeline, TimelineEvent.Kind.FAULT_INJECTION_FAILED, subject)) {
                reasons.add("Fault '" + subject + "' was injected but its effect was never confirmed, so the experiment"
                        + " may have tested nothing. Check that the fault targets the dependency the system under test"
                        + " really uses.");
            }
            if (active && !restored && !has(timeline, TimelineEvent.Kind.FAULT_RESTORE_FAILED, subject)) {
                reasons.add("Fault '" + subject + "' was never confirmed reverted before the load ended, so recovery"
                        + " was not observed. Lengthen the run after the fault.");
            }
        }
        return reasons;
    }

    private static boolean has(Timeline timeline, TimelineEvent.Kind kind, String subject) {
        return timeline.events().stream().anyMatch(e -> e.kind() == kind && e.subject().equals(subject));
    }

    private static List<String> injectorProblems(Timeline timeline, PhaseSpan span) {
        List<String> reasons = new ArrayList<>();
        String phase = "phase '" + span.phase().label() + "'";
        Window window = timeline.window(span.from(), span.to());
        double due = timeline.offered().expectedRequests(span.from(), span.to());
        if (due > 0 && window.requests() < MIN_OFFERED_SHARE * due) {
            reasons.add(String.format(java.util.Locale.ROOT,
                    "The load generator started %s requests in %s where %s were due (%s): it could not keep up, so this"
                            + " run says nothing about the system under test. Lower the rate or give the injector more CPU.",
                    Figure.count(window.requests()), phase, Figure.count(Math.round(due)),
                    Figure.percent(100.0 * window.requests() / due)));
        }
        for (InjectorSample sample : timeline.injector()) {
            if (sample.at().compareTo(span.from()) > 0 && sample.at().compareTo(span.to()) <= 0
                    && sample.fileDescriptorUsage() > MAX_FILE_DESCRIPTOR_USAGE) {
                reasons.add("The load generator used " + Figure.count(sample.openFiles()) + " of its "
                        + Figure.count(sample.maxOpenFiles()) + " file descriptors in " + phase + " (more than "
                        + Figure.percent(100 * MAX_FILE_DESCRIPTOR_USAGE) + "): its connection errors would be blamed on the"
                        + " system under test. Raise the limit (ulimit -n) or lower the rate.");
                break;
            }
        }
        return reasons;
    }
}
