package dev.gameday.demo.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.config.RiskConfig;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderJson;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.RiskCheck;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeakingHotOrdersTest {

    private static Order order() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN.pow(9))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", BigDecimal.ONE, new BigDecimal("65000")));
        return Order.accepted(UUID.randomUUID(), approved, Instant.EPOCH);
    }

    @Test
    void holdsEveryOrderEverPlaced() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LeakingHotOrders hot = new LeakingHotOrders(registry);
        Order first = order();
        hot.remember(first, OrderJson.write(first));

        for (int placed = 1; placed < 5_000; placed++) {
            Order order = order();
            hot.remember(order, OrderJson.write(order));
        }

        assertThat(hot.size()).as("orders held after 5000 were placed").isEqualTo(5_000);
        assertThat(hot.find(first.id())).as("the very first order is still held").isEqualTo(OrderJson.write(first));
        assertThat(registry.get("demo.hot.orders").gauge().value()).isEqualTo(5_000);
    }

    @Test
    void withoutTheFlawNothingIsHeld() {
        Order order = order();
        HotOrders.NONE.remember(order, OrderJson.write(order));

        assertThat(HotOrders.NONE.find(order.id())).isNull();
        assertThat(HotOrders.NONE.size()).isZero();
    }
}
