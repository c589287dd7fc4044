package dev.gameday.demo.order;

/**
 * An order the service refuses, naming the field at fault.
 *
 * <p>These are expected outcomes of bad input, so they carry no stack trace.
 */
public class OrderRejectedException extends RuntimeException {

    private final String field;

    OrderRejectedException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** The request field at fault, or {@code body} when the request as a whole is unusable. */
    public String field() {
        return field;
    }
}
