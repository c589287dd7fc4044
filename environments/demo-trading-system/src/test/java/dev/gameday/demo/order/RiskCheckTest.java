package dev.gameday.demo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.demo.config.RiskConfig;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RiskCheckTest {

    private final RiskCheck risk = new RiskCheck(new RiskConfig(new BigDecimal("1000000")));

    private static OrderRequest order(String symbol, String side, String quantity, String price) {
        return new OrderRequest("ACC-1", symbol, side, new BigDecimal(quantity), new BigDecimal(price));
    }

    @Test
    void approvesOrderWithinLimits() {
        RiskCheck.Approved approved = risk.approve(order("BTC-USD", "SELL", "1.5", "65000.0"));

        assertThat(approved.side()).isEqualTo(Side.SELL);
        assertThat(approved.request().symbol()).isEqualTo("BTC-USD");
    }

    @Test
    void approvesOrderExactlyAtNotionalLimit() {
        assertThat(risk.approve(order("ETH-USD", "BUY", "400", "2500")).side()).isEqualTo(Side.BUY);
    }

    @Test
    void rejectsOrderAboveNotionalLimit() {
        assertThatThrownBy(() -> risk.approve(order("BTC-USD", "BUY", "20", "65000")))
                .isInstanceOfSatisfying(RiskRejectedException.class, rejected -> assertThat(rejected.field()).isEqualTo("quantity"))
                .hasMessage("notional (quantity × price) must be at most 1000000, but was 1300000. Reduce the quantity or split the order.");
    }

    @Test
    void rejectsUnknownSymbol() {
        assertThatThrownBy(() -> risk.approve(order("GME-USD", "BUY", "1", "10")))
                .isInstanceOfSatisfying(RiskRejectedException.class, rejected -> assertThat(rejected.field()).isEqualTo("symbol"))
                .hasMessageStartingWith("symbol 'GME-USD' is not traded here. Use one of: ADA-USD, AVAX-USD, BTC-EUR,");
    }

    @Test
    void rejectsSideOtherThanBuyOrSell() {
        assertThatThrownBy(() -> risk.approve(order("BTC-USD", "HOLD", "1", "10")))
                .isInstanceOfSatisfying(RiskRejectedException.class, rejected -> assertThat(rejected.field()).isEqualTo("side"))
                .hasMessage("side must be BUY or SELL, but was 'HOLD'.");
    }

    @Test
    void rejectsQuantityThatIsNotPositive() {
        assertThatThrownBy(() -> risk.approve(order("BTC-USD", "BUY", "0", "10")))
                .isInstanceOfSatisfying(RiskRejectedException.class, rejected -> assertThat(rejected.field()).isEqualTo("quantity"))
                .hasMessage("quantity must be greater than 0, but was 0. Send a positive quantity.");
    }

    @Test
    void rejectsPriceThatIsNotPositive() {
        assertThatThrownBy(() -> risk.approve(order("BTC-USD", "BUY", "1", "-3")))
                .isInstanceOfSatisfying(RiskRejectedException.class, rejected -> assertThat(rejected.field()).isEqualTo("price"))
                .hasMessage("price must be greater than 0, but was -3. Send a positive limit price.");
    }
}
