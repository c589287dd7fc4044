package dev.gameday.assertions;

import java.util.Objects;

/**
 * A criterion that must hold over one whole phase.
 *
 * @param phase     where it applies; never {@link Phase#WARMUP}, which is not assessed
 * @param criterion what must hold
 */
public record PhaseObjective(Phase phase, Criterion criterion) implements Objective {

    public PhaseObjective {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(criterion, "criterion");
        if (phase == Phase.WARMUP) {
            throw new IllegalArgumentException("Objective '" + criterion.describe()
                    + "': the warmup phase is not assessed. Assess the baseline instead, or shorten the warmup.");
        }
    }

    @Override
    public String name() {
        return criterion.describe();
    }

    @Override
    public String scope() {
        return phase.label();
    }
}
