package dev.gameday.scenarios;

/** An experiment could not run to the end; the message says what went wrong and what to do. */
public class ExperimentException extends RuntimeException {

    public ExperimentException(String message) {
        super(message);
    }

    public ExperimentException(String message, Throwable cause) {
        super(message, cause);
    }
}
