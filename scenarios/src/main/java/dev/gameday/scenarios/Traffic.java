package dev.gameday.scenarios;

import java.net.URI;
import java.util.List;

/**
 * What the load generator sends: a mix of requests, each with its share of the arrival rate. The catalogue's
 * experiments use the demo system's order traffic; point an experiment at your own system by writing your own.
 *
 * <pre>{@code
 * Traffic traffic = ledger -> List.of(new TrafficRequest("health", 1.0, () -> http("health").get("/health"),
 *         Set.of(200), Optional.empty()));
 * }</pre>
 */
@FunctionalInterface
public interface Traffic {

    /** The request mix; shares must add up to 1. Reads may draw identifiers of earlier writes from the ledger. */
    List<TrafficRequest> requests(WriteLedger ledger);

    /**
     * Prepares the system before the load starts, for example by creating data that reads need; also a check that the
     * system under test answers at all. Runs once, before the timeline starts.
     *
     * @param baseUri where the entry point answers
     * @param ledger  where to record writes it makes
     */
    default void seed(URI baseUri, WriteLedger ledger) {
    }
}
