package dev.gameday.assertions;

import java.util.Objects;

/**
 * What evaluating one {@link Objective} found: met with the actual figure, violated with the expected and the
 * actual figure, or unresolved with the reason it could not be decided. Reports render these; they never evaluate.
 */
public sealed interface ObjectiveResult {

    Objective objective();

    Status status();

    /** A sentence naming the objective, its phase, and what was expected and found. */
    String message();

    /** The three kinds of result. */
    enum Status { MET, VIOLATED, UNRESOLVED }

    /** The objective held. */
    record Met(Objective objective, Figure actual, String detail) implements ObjectiveResult {
        public Met {
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(actual, "actual");
            detail = detail == null ? "" : detail;
        }

        @Override
        public Status status() {
            return Status.MET;
        }

        @Override
        public String message() {
            return "Objective '" + objective.name() + "' met in " + scope(objective) + ": actual " + actual + withDetail(detail);
        }
    }

    /** The objective did not hold. */
    record Violated(Objective objective, String expected, Figure actual, String detail) implements ObjectiveResult {
        public Violated {
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
            detail = detail == null ? "" : detail;
        }

        @Override
        public Status status() {
            return Status.VIOLATED;
        }

        @Override
        public String message() {
            return "Objective '" + objective.name() + "' violated in " + scope(objective) + ": expected " + expected
                    + ", actual " + actual + withDetail(detail);
        }
    }

    /** The objective could not be decided, for example because its phase never happened. */
    record Unresolved(Objective objective, String reason) implements ObjectiveResult {
        public Unresolved {
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Status status() {
            return Status.UNRESOLVED;
        }

        @Override
        public String message() {
            return "Objective '" + objective.name() + "' unresolved in " + scope(objective) + ": " + reason;
        }
    }

    private static String scope(Objective objective) {
        return objective instanceof DurabilityObjective ? "the " + objective.scope() : "phase '" + objective.scope() + "'";
    }

    private static String withDetail(String detail) {
        return detail.isEmpty() ? "" : " (" + detail + ")";
    }
}
