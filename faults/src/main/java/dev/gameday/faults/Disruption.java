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
     * proxy goes unanswered; returns evidence for the report when it is, empty when it is not.
     */
    java.util.Optional<String> effect() throws Exception;

    /**
     * Removes what a killed earlier run may have left applied on the same target (for example a toxic with this
     * project's name prefix). Called before {@link #apply}.
     */
    default void removeLeftovers() throws Exception {
    }
}
