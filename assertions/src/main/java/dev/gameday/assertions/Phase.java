package dev.gameday.assertions;

import java.util.Locale;

/**
 * The phases of one experiment, in order. Their boundaries come from what the timeline recorded (when the fault was
 * injected and when its revert was verified), not from the plan.
 */
public enum Phase {
    /** Load ramps, JITs compile, pools fill: recorded but never assessed. */
    WARMUP,
    /** Steady load on a healthy system: the reference. */
    BASELINE,
    /** From the fault's injection until its revert was verified. */
    FAULT,
    /** From the verified revert for as long as the recovery objective allows. */
    RECOVERY,
    /** After the recovery bound: the system must be back to normal. */
    AFTER;

    /** Lower-case name used in messages and reports, for example {@code baseline}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
