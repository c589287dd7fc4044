package dev.gameday.assertions;

import dev.gameday.timeline.Window;

/**
 * A condition on a window of requests, independent of any phase: "p95 latency < 100 ms", "success rate > 99.5 %".
 * Built with {@link Criteria}; applied to a phase by an {@link ObjectiveSet}.
 */
public sealed interface Criterion permits LatencyCriterion, SuccessRateCriterion, ThroughputCriterion {

    /** How people name it, for example {@code p95 latency < 100 ms}. */
    String describe();

    /** The expected side alone, for example {@code < 100 ms}. */
    String expected();

    /** Checks the window; the caller makes sure it is not empty. */
    Check check(Window window);

    /**
     * The outcome of checking one window.
     *
     * @param met    whether the criterion held
     * @param actual what was measured
     * @param detail context for a person reading a violation, possibly empty
     */
    record Check(boolean met, Figure actual, String detail) {
    }
}
