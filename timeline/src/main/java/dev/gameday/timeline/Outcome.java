package dev.gameday.timeline;

/** What became of one request, as seen by the load generator. */
public enum Outcome {
    /** The system under test answered with a status the scenario accepts. */
    SUCCESS,
    /** The system under test answered, but with a status the scenario does not accept (for example 503). */
    ERROR_STATUS,
    /** No answer at all: the request timed out, or the connection was refused or reset. */
    NO_RESPONSE;

    public boolean isSuccess() {
        return this == SUCCESS;
    }
}
