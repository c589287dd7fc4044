package dev.gameday.assertions;

/** The outcome of one experiment. */
public enum Verdict {
    /** Every objective was met on a valid run. */
    PASSED,
    /** At least one objective was violated on a valid run: the system under test fell short. */
    FAILED,
    /**
     * The run cannot judge the system under test: the load generator could not offer the load, a fault never took
     * effect or could not be reverted, or an objective could not be decided. Never a pass, never the system's fault.
     */
    INVALID
}
