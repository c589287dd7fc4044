package dev.gameday.assertions;

/**
 * Something an experiment must show, as data: evaluating it against a timeline yields an {@link ObjectiveResult}.
 * Objectives are grouped in an {@link ObjectiveSet}.
 */
public sealed interface Objective permits PhaseObjective, RecoveryObjective, DurabilityObjective {

    /** How people name it, for example {@code p95 latency < 100 ms}. */
    String name();

    /** Where it applies, for example {@code baseline}, {@code recovery} or {@code whole run}. */
    String scope();
}
