package dev.gameday.assertions;

import dev.gameday.timeline.Window;

/**
 * A condition on a window of requests, independent of any phase: "p95 latency < 100 ms", "success rate > 99.5 %".
 * Built with {@link Criteria}; applied to a phase by an {@link ObjectiveSet}.
 */
public sealed interface Criterion permits LatencyCriterion, SuccessRateCriterion, ThroughputCriterion,
        DegradedRateCriterion, FullServiceCriterion, ServerMetricCriterion, ServerMetricGrowthCriterion {

    /** How people name it, for example {@code p95 latency < 100 ms}. */
    String describe();

    /** The expected side alone, for example {@code < 100 ms}. */
    String expected();

    /** Checks the window; the caller makes sure it is not empty. */
    Check check(Window window);

    /**
     * The outcome of checking one window.
     *
     * @param met      whether the criterion held
     * @param actual   what was measured
     * @param detail   context for a person reading a violation, possibly empty
     * @param observed false when the window held too little to tell (for example no reading of a server-side series
     *                 could be taken): the objective is then unresolved, never violated, and {@code detail} says why
     */
    record Check(boolean met, Figure actual, String detail, boolean observed) {

        /** An observed outcome. */
        public Check(boolean met, Figure actual, String detail) {
            this(met, actual, detail, true);
        }

        /** Nothing could be told from the window, for the reason given. */
        public static Check unobserved(Figure actual, String why) {
            return new Check(false, actual, why, false);
        }
    }
}
