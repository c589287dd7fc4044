package dev.gameday.demo.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An accepted order, as stored in PostgreSQL and returned by the API.
 *
 * @param exchangeOrderId the exchange's id once routed, otherwise null
 */
public record Order(UUID id, String account, String symbol, Side side, BigDecimal quantity, BigDecimal price,
                    OrderStatus status, String exchangeOrderId, Instant createdAt, Instant updatedAt) {

    public Order {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new order that passed the risk check, waiting to be routed. */
    public static Order accepted(UUID id, RiskCheck.Approved approved, Instant now) {
        OrderRequest request = approved.request();
        return new Order(id, request.account(), request.symbol(), approved.side(), request.quantity(), request.price(),
                OrderStatus.PENDING_ROUTE, null, now, now);
    }

    /** This order after the exchange accepted it as {@code exchangeOrderId}. */
    public Order routed(String exchangeOrderId, Instant now) {
        return new Order(id, account, symbol, side, quantity, price, OrderStatus.ROUTED,
                Objects.requireNonNull(exchangeOrderId, "exchangeOrderId"), createdAt, now);
    }
}
