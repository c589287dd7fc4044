package dev.gameday.timeline;

/** What became of one request, as seen by the load generator. */
public enum Outcome {
    /** The system under test answered with a status the scenario accepts. */
    SUCCESS,
    /** The system under test answered, but with a status the scenario does not accept (for example 503). */
    ERROR_STATUS,
    /** No answer at all: the request timed out, or the connection was refused or reset. */
    NO_RESPONSE,
    /**
     * Answered with a status the scenario accepts, but its content says the service fell back (for example an order
     * acknowledged {@code "status":"PENDING_ROUTE"} while the breaker to the exchange is open): a success by its
     * status, but not full service. Only traffic that says how to tell a degraded answer records it.
     */
    DEGRADED;

    /** Whether the request was answered with an accepted status: {@link #SUCCESS} or {@link #DEGRADED}. */
    public boolean isSuccess() {
        return this == SUCCESS || this == DEGRADED;
    }
}
