package dev.gameday.timeline;

import java.time.Duration;
import java.util.Objects;

/**
 * Something that happened during an experiment, at a time measured from the timeline's origin.
 *
 * @param at      elapsed time since the timeline started
 * @param kind    what happened
 * @param subject what it happened to, for example the fault's name
 * @param detail  free text for people reading the report
 *
 *
 * <pre>{@code
 * recorder.event(TimelineEvent.Kind.FAULT_ACTIVE, "redis-timeout", "Redis PING through the proxy got no answer");
 * }</pre>
 */
public record TimelineEvent(Duration at, Kind kind, String subject, String detail) {

    /** The kinds of events a timeline records. */
    public enum Kind {
        /** The run's plan for a fault (when it is due, for how long); recorded as the load starts. */
        FAULT_SCHEDULED,
        /** A fault is being injected; its effect is not yet confirmed. */
        FAULT_INJECTING,
        /** The fault's effect was verified: from here on the system under test is degraded. */
        FAULT_ACTIVE,
        /** The fault is being reverted. */
        FAULT_RESTORING,
        /** The revert was verified: the dependency is healthy again. Recovery is measured from here. */
        FAULT_RESTORED,
        /** Reverting the fault failed; the environment may still be degraded. */
        FAULT_RESTORE_FAILED,
        /** The fault could not be injected. */
        FAULT_INJECTION_FAILED,
        /** Evidence that the system under test's own traffic passed where the fault acts (for example its proxy). */
        TRAFFIC_OBSERVED,
        /** The system under test sent no traffic where the fault acts: the fault cannot have reached it. */
        TRAFFIC_MISSING,
        /**
         * A target's container stopped running (it crashed, was killed, or was OOM-killed): its detail names the exit
         * code, and whether the kernel killed it for lack of memory.
         */
        TARGET_DIED,
        /** A target's container (re)started during the run, for example after a crash with a restart policy. */
        TARGET_STARTED,
        /** The engine reported that a process in a target's container ran out of memory (an {@code oom} event). */
        TARGET_OUT_OF_MEMORY,
        /**
         * After a target (re)started, the environment reported itself healthy again (its readiness checks pass): the
         * target's own recovery from an event fault such as a kill, apart from whether the objectives hold.
         */
        TARGET_READY,
        /**
         * The run was stopped before its planned end on purpose, because its verdict was already known (an objective
         * violated in a phase that had ended, or a fault that cannot have reached the system): fail fast. The phases
         * it cut short are not judged.
         */
        RUN_STOPPED,
        /** The record of the run ends here: the run died before it finished (found when reading a partial record). */
        RECORD_ENDS,
        /** Anything else worth a line in the report. */
        NOTE
    }

    public TimelineEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        detail = detail == null ? "" : detail;
        if (at.isNegative()) {
            throw new IllegalArgumentException("Timeline event '" + subject + "': time must be >= 0, but was " + at + ".");
        }
    }
}
