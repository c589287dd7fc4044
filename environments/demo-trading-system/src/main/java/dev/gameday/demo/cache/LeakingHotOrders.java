package dev.gameday.demo.cache;

import dev.gameday.demo.config.DemoConfig;
import dev.gameday.demo.order.Order;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code leaking-cache} flaw: a "hot orders" map that keeps every order placed, with the order book snapshot
 * taken for best-execution audit, and is never evicted.
 *
 * <p>About 13 KB per order with the default 400 levels, so the heap grows steadily under constant load until the JVM
 * runs out of memory (incidents 9 and 1); {@code HOT_ORDERS_BOOK_LEVELS} deepens the snapshot (32 bytes per level)
 * so that an experiment reaches the memory limit within a minute. The {@code demo_hot_orders} gauge shows the growth.
 */
public final class LeakingHotOrders implements HotOrders {

    /** Price levels per side in the snapshot kept with each order, unless told otherwise. */
    static final int BOOK_LEVELS = DemoConfig.DEFAULT_HOT_ORDERS_BOOK_LEVELS;
    private static final double TICK = 0.01;

    private final Map<UUID, Entry> orders = new ConcurrentHashMap<>();
    private final int bookLevels;

    public LeakingHotOrders(MeterRegistry registry) {
        this(registry, BOOK_LEVELS);
    }

    /**
     * A leaking cache keeping {@code bookLevels} price levels per side with each order: 32 bytes per level, so 100
     * levels leak about 3.5 KB per order and 4 000 levels about 128 KB ({@code HOT_ORDERS_BOOK_LEVELS}).
     */
    public LeakingHotOrders(MeterRegistry registry, int bookLevels) {
        if (bookLevels < 1) {
            throw new IllegalArgumentException("bookLevels must be at least 1, but was " + bookLevels);
        }
        this.bookLevels = bookLevels;
        Gauge.builder("demo.hot.orders", orders, Map::size)
                .description("Orders held by the in-process hot orders cache (leaking-cache flaw)")
                .register(registry);
    }

    /** One held order: the order, its JSON and the book around its price when it was placed. */
    record Entry(Order order, byte[] json, double[] book) {
    }

    @Override
    public void remember(Order order, byte[] json) {
        orders.put(order.id(), new Entry(order, json, snapshot(order.price().doubleValue(), bookLevels)));
    }

    @Override
    public byte[] find(UUID id) {
        Entry entry = orders.get(id);
        return entry == null ? null : entry.json();
    }

    /** The entry held for order {@code id}, or null (for tests). */
    Entry entry(UUID id) {
        return orders.get(id);
    }

    /** Price levels per side kept with each order. */
    int bookLevels() {
        return bookLevels;
    }

    @Override
    public int size() {
        return orders.size();
    }

    /** Bid and ask levels around {@code price}: (price, size) pairs, bids first. */
    private static double[] snapshot(double price, int levels) {
        double[] book = new double[levels * 4];
        for (int level = 0; level < levels; level++) {
            int bid = level * 2;
            int ask = levels * 2 + level * 2;
            book[bid] = price - (level + 1) * TICK;
            book[bid + 1] = 1.0 + level;
            book[ask] = price + (level + 1) * TICK;
            book[ask + 1] = 1.0 + level;
        }
        return book;
    }
}
