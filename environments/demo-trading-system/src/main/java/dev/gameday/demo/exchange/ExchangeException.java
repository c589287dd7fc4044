package dev.gameday.demo.exchange;

/** The exchange answered, but not with an accepted order: a non-2xx status or a body without {@code orderId}. */
public final class ExchangeException extends Exception {

    ExchangeException(String message) {
        super(message, null, false, false);
    }
}
