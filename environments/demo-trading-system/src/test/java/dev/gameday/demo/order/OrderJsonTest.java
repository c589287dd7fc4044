package dev.gameday.demo.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.demo.config.RiskConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderJsonTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsOrderRequestKeepingExactDecimals() {
        OrderRequest request = OrderJson.parseRequest(json(
                "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1.5,\"price\":65000.10}"));

        assertThat(request).isEqualTo(new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("1.5"), new BigDecimal("65000.10")));
    }

    @Test
    void rejectsBodyThatIsNotJsonNamingTheBody() {
        assertThatThrownBy(() -> OrderJson.parseRequest(json("{\"account\":")))
                .isInstanceOfSatisfying(InvalidOrderException.class, invalid -> assertThat(invalid.field()).isEqualTo("body"))
                .hasMessageStartingWith("request body is not valid JSON (")
                .hasMessageEndingWith("). Send a JSON object like {\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\","
                        + "\"quantity\":1.5,\"price\":65000.0}.");
    }

    @Test
    void rejectsEmptyBody() {
        assertThatThrownBy(() -> OrderJson.parseRequest(new byte[0]))
                .isInstanceOfSatisfying(InvalidOrderException.class, invalid -> assertThat(invalid.field()).isEqualTo("body"))
                .hasMessageStartingWith("request body must be a JSON object like ");
    }

    @Test
    void rejectsMissingFieldNamingIt() {
        assertThatThrownBy(() -> OrderJson.parseRequest(json("{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"price\":1}")))
                .isInstanceOfSatisfying(InvalidOrderException.class, invalid -> assertThat(invalid.field()).isEqualTo("quantity"))
                .hasMessageStartingWith("quantity is missing. Send every field, as in ");
    }

    @Test
    void rejectsQuantitySentAsString() {
        assertThatThrownBy(() -> OrderJson.parseRequest(json(
                "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":\"1.5\",\"price\":1}")))
                .isInstanceOfSatisfying(InvalidOrderException.class, invalid -> assertThat(invalid.field()).isEqualTo("quantity"))
                .hasMessageStartingWith("quantity must be a JSON number, but was \"1.5\". Send it without quotes");
    }

    @Test
    void rejectsAccountThatIsNotAString() {
        assertThatThrownBy(() -> OrderJson.parseRequest(json(
                "{\"account\":42,\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1,\"price\":1}")))
                .isInstanceOfSatisfying(InvalidOrderException.class, invalid -> assertThat(invalid.field()).isEqualTo("account"))
                .hasMessageStartingWith("account must be a JSON string, but was 42.");
    }

    @ParameterizedTest
    @CsvSource({"1e400", "0.000000001", "1234567890123456789"})
    void rejectsQuantityWithUnreasonablePrecision(String quantity) {
        assertThatThrownBy(() -> OrderJson.parseRequest(json(
                "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":" + quantity + ",\"price\":1}")))
                .isInstanceOfSatisfying(InvalidOrderException.class, invalid -> assertThat(invalid.field()).isEqualTo("quantity"))
                .hasMessageStartingWith("quantity must have at most 18 digits before and 8 after the decimal point, but was ");
    }

    @Test
    void writesOrderWithEveryField() {
        UUID id = UUID.fromString("3f2b8c1e-2d4a-4c7e-9a1b-0e5f6a7b8c9d");
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN.pow(7))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("1.5"), new BigDecimal("65000.0")));
        Instant created = Instant.parse("2026-01-02T03:04:05.123456Z");
        Order order = Order.accepted(id, approved, created).routed("EX-7", created.plusSeconds(1));

        assertThat(new String(OrderJson.write(order), StandardCharsets.UTF_8)).isEqualTo(
                "{\"id\":\"3f2b8c1e-2d4a-4c7e-9a1b-0e5f6a7b8c9d\",\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\","
                        + "\"quantity\":1.5,\"price\":65000.0,\"status\":\"ROUTED\",\"exchangeOrderId\":\"EX-7\","
                        + "\"createdAt\":\"2026-01-02T03:04:05.123456Z\",\"updatedAt\":\"2026-01-02T03:04:06.123456Z\"}");
    }

    @Test
    void writesPendingOrderWithNullExchangeId() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN)).approve(
                new OrderRequest("ACC-1", "ETH-USD", "SELL", BigDecimal.ONE, BigDecimal.ONE));
        Order order = Order.accepted(UUID.randomUUID(), approved, Instant.EPOCH);

        assertThat(new String(OrderJson.write(order), StandardCharsets.UTF_8))
                .contains("\"status\":\"PENDING_ROUTE\",\"exchangeOrderId\":null");
    }
}
