package dev.gameday.demo.database;

import dev.gameday.demo.order.Order;
import java.util.Optional;
import java.util.UUID;

/**
 * Where orders are committed: PostgreSQL's {@code orders} table.
 *
 * <p>Every method is bounded by the pool timeout and the statement timeout, and throws
 * {@link DatabaseUnavailableException} instead of hanging.
 */
public interface OrderStore {

    /** Commits a new order. */
    void insert(Order order);

    /** Records that {@code order} was routed: its status, exchange order id and update time. */
    void markRouted(Order order);

    /** The order with this id, if it exists. */
    Optional<Order> find(UUID id);
}
