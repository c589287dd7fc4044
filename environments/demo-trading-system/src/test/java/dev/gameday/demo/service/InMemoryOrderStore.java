package dev.gameday.demo.service;

import dev.gameday.demo.database.OrderStore;
import dev.gameday.demo.order.Order;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** An order store in a map: what is committed is what {@link #committed} returns. */
final class InMemoryOrderStore implements OrderStore {

    private final Map<UUID, Order> rows = new ConcurrentHashMap<>();

    @Override
    public void insert(Order order) {
        if (rows.putIfAbsent(order.id(), order) != null) {
            throw new IllegalStateException("duplicate order " + order.id());
        }
    }

    @Override
    public void markRouted(Order order) {
        rows.replace(order.id(), order);
    }

    @Override
    public Optional<Order> find(UUID id) {
        return Optional.ofNullable(rows.get(id));
    }

    Optional<Order> committed(UUID id) {
        return find(id);
    }
}
