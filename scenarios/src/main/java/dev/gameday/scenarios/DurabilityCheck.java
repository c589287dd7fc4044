package dev.gameday.scenarios;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.environments.Environment;
import java.util.List;

/**
 * Looks up, at the end of a run, whether the writes the system under test acknowledged are in its durable store.
 *
 * <pre>{@code
 * DurabilityCheck orders = (environment, acknowledged) -> ordersTable.lookUp(acknowledged);
 * }</pre>
 */
@FunctionalInterface
public interface DurabilityCheck {

    /**
     * @param environment  the environment, still running
     * @param acknowledged the identifiers of every acknowledged write, in order
     */
    DurabilityEvidence check(Environment environment, List<String> acknowledged);

    /** What is checked, for reports, for example {@code orders table in PostgreSQL}. */
    default String store() {
        return "durable store";
    }
}
