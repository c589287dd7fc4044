package dev.gameday.demo.order;

/** Where an accepted order stands. */
public enum OrderStatus {
    /** Accepted and committed, but not (yet) confirmed by the exchange: the fallback when the exchange fails. */
    PENDING_ROUTE,
    /** Accepted by the exchange, which returned its own order id. */
    ROUTED
}
