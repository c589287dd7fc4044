package dev.gameday.environments;

/** The environment cannot be started or reached; the message says what is missing and what to do. */
public class EnvironmentUnavailableException extends RuntimeException {

    public EnvironmentUnavailableException(String message) {
        super(message);
    }

    public EnvironmentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
