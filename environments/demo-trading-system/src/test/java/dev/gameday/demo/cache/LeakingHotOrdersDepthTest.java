package dev.gameday.demo.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** HOT_ORDERS_BOOK_LEVELS sets how much each leaked order retains, which sets how fast the heap fills. */
class LeakingHotOrdersDepthTest {

    private static Order order() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN.pow(9))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", BigDecimal.ONE, new BigDecimal("65000")));
        return Order.accepted(UUID.randomUUID(), approved, Instant.EPOCH);
    }

    @Test
    void retainsThirtyTwoBytesPerBookLevelWithEveryOrder() {
        LeakingHotOrders deep = new LeakingHotOrders(new SimpleMeterRegistry(), 4_000);
        Order order = order();

        deep.remember(order, OrderJson.write(order));

        LeakingHotOrders.Entry entry = deep.entry(order.id());
        assertThat(entry.book()).as("doubles retained: (price, size) for 4000 bid and 4000 ask levels").hasSize(16_000);
        assertThat(entry.book()[0]).as("best bid one tick below the order's price").isEqualTo(65_000 - 0.01);
        assertThat(entry.book()[8_000]).as("best ask one tick above").isEqualTo(65_000 + 0.01);
        assertThat(new LeakingHotOrders(new SimpleMeterRegistry()).bookLevels()).as("default depth")
                .isEqualTo(LeakingHotOrders.BOOK_LEVELS);
    }

    @Test
    void refusesAnEmptySnapshot() {
        assertThatThrownBy(() -> new LeakingHotOrders(new SimpleMeterRegistry(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bookLevels must be at least 1, but was 0");
    }
}
