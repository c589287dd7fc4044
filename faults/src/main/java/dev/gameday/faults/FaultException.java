package dev.gameday.faults;

/** A fault could not be injected, verified or reverted; the message names the fault and what to do. */
public class FaultException extends RuntimeException {

    public FaultException(String message, Throwable cause) {
        super(message, cause);
    }

    public FaultException(String message) {
        super(message);
    }
}
