package dev.gameday.demo.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.config.RiskConfig;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.RiskCheck;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The ack-before-commit flaw's queue; TradingServerIT shows the loss against a real PostgreSQL. */
class WriteBehindOrderStoreTest {

    /** Longer than any test: the background writer never runs, only explicit flushes do. */
    private static final Duration NEVER = Duration.ofHours(1);

    private static Order order() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN.pow(9))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", BigDecimal.ONE, BigDecimal.TEN));
        return Order.accepted(UUID.randomUUID(), approved, Instant.EPOCH);
    }

    @Test
    void acknowledgesBeforeAnythingReachesTheDatabaseAndCommitsOnlyOnFlush() throws Exception {
        FakeDataSource dataSource = new FakeDataSource();
        MapStore committed = new MapStore();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (WriteBehindOrderStore store = new WriteBehindOrderStore(committed, dataSource, registry, NEVER)) {
            Order order = order();
            store.insert(order);
            Order routed = order.routed("EX-1", Instant.EPOCH.plusSeconds(1));
            store.markRouted(routed);

            assertThat(dataSource.opened.get()).as("connections taken to 'store' an acknowledged order").isZero();
            assertThat(store.find(order.id())).as("the service reads its own queued order").contains(routed);
            assertThat(store.pending()).isEqualTo(1);
            assertThat(registry.get("demo.write.behind.pending").gauge().value()).isEqualTo(1.0);

            assertThat(store.flush()).as("orders committed by one flush").isEqualTo(1);
            assertThat(store.pending()).isZero();
            assertThat(dataSource.opened.get()).isEqualTo(1);
            assertThat(dataSource.held()).isZero();
        }
    }

    @Test
    void routesACommittedOrderThroughTheUnderlyingStore() throws Exception {
        MapStore committed = new MapStore();
        try (WriteBehindOrderStore store = new WriteBehindOrderStore(committed, new FakeDataSource(),
                new SimpleMeterRegistry(), NEVER)) {
            Order order = order();
            committed.insert(order);
            Order routed = order.routed("EX-2", Instant.EPOCH);

            store.markRouted(routed);

            assertThat(committed.find(order.id())).contains(routed);
            assertThat(store.pending()).isZero();
        }
    }

    /** The committed rows, for the store behind the queue. */
    private static final class MapStore implements OrderStore {
        private final Map<UUID, Order> rows = new HashMap<>();

        @Override
        public void insert(Order order) {
            rows.put(order.id(), order);
        }

        @Override
        public void markRouted(Order order) {
            rows.replace(order.id(), order);
        }

        @Override
        public Optional<Order> find(UUID id) {
            return Optional.ofNullable(rows.get(id));
        }
    }
}
