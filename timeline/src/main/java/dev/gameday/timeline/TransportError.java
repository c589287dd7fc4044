package dev.gameday.timeline;

import java.util.Locale;

/**
 * Why a request got no response at all ({@link Outcome#NO_RESPONSE}), in the few kinds that tell different stories
 * about the system under test.
 *
 *
 * <pre>{@code
 * TransportError kind = TransportError.classify(new java.net.ConnectException("Connection refused")); // REFUSED
 * }</pre>
 */
public enum TransportError {
    /** Nothing came back before the request timeout: the service (or something behind it) hangs. */
    TIMEOUT("timeout"),
    /** The connection was refused: nothing listens on the port, the service is down or restarting. */
    REFUSED("refused"),
    /** The connection was reset or closed before the response was complete: the service crashed or dropped it. */
    RESET("reset"),
    /** Anything else; the exception's class is kept with it. */
    OTHER("other");

    private final String label;

    TransportError(String label) {
        this.label = label;
    }

    /** How reports name it, for example {@code timeout}. */
    public String label() {
        return label;
    }

    /**
     * The kind of a load generator's exception, judged by its class and message and those of its causes (the
     * clients' exception types are not on this module's class path, so by name): {@code *Timeout*} classes are
     * timeouts; {@code ConnectException}s and "Connection refused" are refusals; "Connection reset", "Premature
     * close", "Broken pipe" and closed channels are resets; anything else is {@link #OTHER}.
     */
    public static TransportError classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            TransportError kind = classify(t.getClass().getName(), t.getMessage());
            if (kind != OTHER) {
                return kind;
            }
            if (t instanceof java.net.ConnectException) {
                return REFUSED;
            }
        }
        return OTHER;
    }

    /** As {@link #classify(Throwable)}, from an exception's class name and message alone. */
    public static TransportError classify(String className, String message) {
        String name = className == null ? "" : className.toLowerCase(Locale.ROOT);
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (name.contains("timeout") || text.contains("timed out") || text.contains("request timeout")) {
            return TIMEOUT;
        }
        if (text.contains("connection refused") || name.endsWith("connectexception")) {
            return REFUSED;
        }
        if (text.contains("connection reset") || text.contains("premature close") || text.contains("broken pipe")
                || name.contains("prematureclose") || name.contains("closedchannel")
                || text.contains("connection closed") || text.contains("channel closed")) {
            return RESET;
        }
        return OTHER;
    }
}
