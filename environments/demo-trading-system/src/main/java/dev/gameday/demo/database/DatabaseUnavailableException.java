package dev.gameday.demo.database;

import java.util.UUID;

/** PostgreSQL could not serve a request in time: the pool is exhausted, the database is unreachable, or a statement failed. */
public final class DatabaseUnavailableException extends RuntimeException {

    /** What went wrong, so the API can say it plainly. */
    public enum Reason {
        POOL_EXHAUSTED,
        UNREACHABLE,
        STATEMENT_TIMEOUT,
        ERROR
    }

    private final Reason reason;
    private final UUID orderId;

    DatabaseUnavailableException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    private DatabaseUnavailableException(Reason reason, String message, Throwable cause, UUID orderId) {
        super(message, cause);
        this.reason = reason;
        this.orderId = orderId;
    }

    public Reason reason() {
        return reason;
    }

    /** The order that was already committed when this failure happened, or null. */
    public UUID orderId() {
        return orderId;
    }

    /** This failure, noting that order {@code id} was already committed before it happened. */
    public DatabaseUnavailableException afterCommitOf(UUID id) {
        return new DatabaseUnavailableException(reason, getMessage(), getCause(), id);
    }
}
