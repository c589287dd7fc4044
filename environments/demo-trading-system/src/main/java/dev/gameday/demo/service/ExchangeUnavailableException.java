package dev.gameday.demo.service;

import java.util.UUID;

/**
 * The {@code no-exchange-fallback} flaw's failure: an order was committed as PENDING_ROUTE but the exchange did
 * not take it, and the flawed service fails the request (502) instead of accepting the order for later routing.
 *
 * <pre>{@code
 * throw new ExchangeUnavailableException(order.id(), "could not route the order to the exchange: " + why);
 * }</pre>
 */
public final class ExchangeUnavailableException extends RuntimeException {

    private final UUID orderId;

    public ExchangeUnavailableException(UUID orderId, String message) {
        super(message);
        this.orderId = orderId;
    }

    /** The order that was already committed (PENDING_ROUTE) when routing failed. */
    public UUID orderId() {
        return orderId;
    }
}
