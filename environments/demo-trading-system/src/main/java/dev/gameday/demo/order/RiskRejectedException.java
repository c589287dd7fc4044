package dev.gameday.demo.order;

/** The request is well formed but fails the risk check (HTTP 422). */
public final class RiskRejectedException extends OrderRejectedException {

    RiskRejectedException(String field, String message) {
        super(field, message);
    }
}
