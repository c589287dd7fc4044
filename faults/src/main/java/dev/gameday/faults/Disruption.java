package dev.gameday.faults;

/**
 * What a fault backend does to its target: apply, revert, and check whether the effect is observable from outside.
 * Implementations live in backend packages ({@code toxiproxy}, later {@code docker}, {@code kubernetes}); users get
 * them from factories such as {@link NetworkFaults}.
 */
public interface Disruption {

    /** One line for reports, for example {@code timeout toxic on redis (upstream, data held until removed)}. */
    String describe();

    /** Applies the disruption; called once. */
    void apply() throws Exception;

    /** Reverts it; must succeed even when {@link #apply} failed half-way, and may be called again after a failure. */
    void revert() throws Exception;

    /**
     * Checks from outside whether the effect is observable right now, for example whether a Redis PING through the
     * proxy goes unanswered, with what was seen as evidence for the report either way.
     */
    Observation observe() throws Exception;

    /**
     * What one check from outside saw.
     *
     * @param inEffect whether the disruption's effect was observable
     * @param evidence what was seen, for example {@code Redis PING to localhost:32771 answered in 0.4 ms}
     */
    record Observation(boolean inEffect, String evidence) {
        public static Observation inEffect(String evidence) {
            return new Observation(true, evidence);
        }

        public static Observation notInEffect(String evidence) {
            return new Observation(false, evidence);
        }
    }

    /**
     * Removes what a killed earlier run may have left applied on the same target (for example a toxic with this
     * project's name prefix). Called before {@link #apply}.
     */
    default void removeLeftovers() throws Exception {
    }
}
