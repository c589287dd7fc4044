package dev.gameday.demo.cache;

import dev.gameday.demo.order.Order;
import java.util.UUID;

/**
 * An in-process cache of recently placed orders; only the {@code leaking-cache} flaw has one.
 *
 * <p>Example: {@code HotOrders hot = flawed ? new LeakingHotOrders(registry) : HotOrders.NONE;}
 */
public interface HotOrders {

    /** No in-process cache: remembers nothing, finds nothing. */
    HotOrders NONE = new HotOrders() {
        @Override
        public void remember(Order order, byte[] json) {
        }

        @Override
        public byte[] find(UUID id) {
            return null;
        }

        @Override
        public int size() {
            return 0;
        }
    };

    /** Keeps {@code order} for fast reads. */
    void remember(Order order, byte[] json);

    /** The JSON of order {@code id}, or null when it is not held. */
    byte[] find(UUID id);

    /** How many orders are held. */
    int size();
}
