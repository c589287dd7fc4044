package dev.gameday.assertions;

import java.time.Duration;
import java.util.Objects;

/**
 * Where one phase lies on the timeline, in whole seconds since its origin.
 *
 * @param phase which phase
 * @param from  start (inclusive)
 * @param to    end (exclusive)
 */
public record PhaseSpan(Phase phase, Duration from, Duration to) {

    public PhaseSpan {
        Objects.requireNonNull(phase, "phase");
        if (from.isNegative() || to.compareTo(from) < 0) {
            throw new IllegalArgumentException("Phase '" + phase.label() + "': must not end before it starts, but was from "
                    + from + " to " + to + ".");
        }
    }

    public Duration length() {
        return to.minus(from);
    }
}
