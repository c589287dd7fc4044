package dev.gameday.demo.order;

/** The request is malformed: not JSON, a field missing or of the wrong type (HTTP 400). */
public final class InvalidOrderException extends OrderRejectedException {

    InvalidOrderException(String field, String message) {
        super(field, message);
    }
}
