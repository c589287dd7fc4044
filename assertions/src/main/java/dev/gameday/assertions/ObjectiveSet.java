package dev.gameday.assertions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The objectives of one experiment, phase by phase.
 *
 * <pre>{@code
 * Criterion fast = Criteria.latency().p95().below(Duration.ofMillis(100));
 * Criterion reliable = Criteria.successRate().above(99.5);
 * ObjectiveSet objectives = ObjectiveSet.builder()
 *         .during(Phase.BASELINE, fast, reliable)
 *         .during(Phase.FAULT, Criteria.latency().p95().below(Duration.ofMillis(500)), reliable)
 *         .recoversWithin(Duration.ofSeconds(15), fast, reliable)
 *         .during(Phase.AFTER, fast, reliable)
 *         .acknowledgedWritesDurable()
 *         .build();
 * }</pre>
 */
public record ObjectiveSet(List<Objective> objectives, Evidence evidence) {

    public ObjectiveSet {
        objectives = List.copyOf(objectives);
        Objects.requireNonNull(evidence, "evidence");
        if (objectives.stream().filter(RecoveryObjective.class::isInstance).count() > 1) {
            throw new IllegalArgumentException("An experiment has one recovery objective, but " + objectives.stream()
                    .filter(RecoveryObjective.class::isInstance).count() + " were given.");
        }
    }

    /** Objectives judged with the {@linkplain Evidence#DEFAULT default evidence} rule. */
    public ObjectiveSet(List<Objective> objectives) {
        this(objectives, Evidence.DEFAULT);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<RecoveryObjective> recovery() {
        return objectives.stream().filter(RecoveryObjective.class::isInstance).map(RecoveryObjective.class::cast).findFirst();
    }

    /** How long the recovery phase lasts: the recovery bound, or nothing without a recovery objective. */
    public Duration recoveryBound() {
        return recovery().map(RecoveryObjective::within).orElse(Duration.ZERO);
    }

    /**
     * The shortest {@code phase} may be for its objectives to be judged:
     * {@link ServerMetricGrowthCriterion#MINIMUM_WINDOW} when one of them judges a growth, otherwise zero. An experiment refuses a shorter phase before it starts.
     */
    public Duration minimumLength(Phase phase) {
        return objectives.stream().anyMatch(o -> o instanceof PhaseObjective p && p.phase() == phase
                && p.criterion() instanceof ServerMetricGrowthCriterion)
                ? ServerMetricGrowthCriterion.MINIMUM_WINDOW : Duration.ZERO;
    }

    /** Collects objectives in the order they should be reported. */
    public static final class Builder {
        private final List<Objective> objectives = new ArrayList<>();
        private Evidence evidence = Evidence.DEFAULT;

        private Builder() {
        }

        /** The least a phase must hold to be judged; {@link Evidence#DEFAULT} unless set. */
        public Builder requiring(Evidence minimum) {
            this.evidence = Objects.requireNonNull(minimum, "minimum");
            return this;
        }

        /** Every criterion must hold over the whole phase. */
        public Builder during(Phase phase, Criterion... criteria) {
            if (criteria.length == 0) {
                throw new IllegalArgumentException("Objectives for phase '" + phase.label()
                        + "': name at least one criterion, for example Criteria.successRate().above(99.5).");
            }
            for (Criterion criterion : criteria) {
                objectives.add(new PhaseObjective(phase, Objects.requireNonNull(criterion, "criterion")));
            }
            return this;
        }

        /** After the verified heal, the criteria hold again within the bound, for {@link RecoveryObjective#DEFAULT_HOLD}. */
        public Builder recoversWithin(Duration within, Criterion... steadyState) {
            return recoversWithin(within, RecoveryObjective.DEFAULT_HOLD, steadyState);
        }

        /** After the verified heal, the criteria hold again within the bound, for {@code holdFor}. */
        public Builder recoversWithin(Duration within, Duration holdFor, Criterion... steadyState) {
            objectives.add(new RecoveryObjective(within, holdFor, List.of(steadyState)));
            return this;
        }

        /** Every acknowledged write is in the durable store at the end. */
        public Builder acknowledgedWritesDurable() {
            objectives.add(new DurabilityObjective());
            return this;
        }

        public ObjectiveSet build() {
            if (objectives.isEmpty()) {
                throw new IllegalStateException("An experiment needs at least one objective; a run that asserts nothing"
                        + " cannot fail. Add one with during(Phase.BASELINE, Criteria.successRate().above(99.5)).");
            }
            return new ObjectiveSet(objectives, evidence);
        }
    }
}
