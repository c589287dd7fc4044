package dev.gameday.scenarios.cli;

/** The command line was wrong; the message says what was expected and what was found. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
