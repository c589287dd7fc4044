package dev.gameday.demo.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.demo.config.DatabaseConfig;
import dev.gameday.demo.config.RiskConfig;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.RiskCheck;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderStoreTest {

    private static final DatabaseConfig CONFIG = new DatabaseConfig("jdbc:postgresql://db/trading", "trading", "secret", 16,
            Duration.ofMillis(250), Duration.ofSeconds(2));

    private static Order routedOrder() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN.pow(9))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", BigDecimal.ONE, BigDecimal.TEN));
        return Order.accepted(UUID.randomUUID(), approved, Instant.EPOCH).routed("EX-1", Instant.EPOCH);
    }

    @Test
    void returnsConnectionAfterReadingUnknownOrder() {
        FakeDataSource dataSource = new FakeDataSource();
        OrderStore store = new JdbcOrderStore(dataSource, CONFIG);

        for (int read = 0; read < 20; read++) {
            assertThat(store.find(UUID.randomUUID())).isEmpty();
        }

        assertThat(dataSource.held()).as("connections still held after 20 reads of unknown orders").isZero();
    }

    @Test
    void leakingPoolFlawKeepsConnectionOfEveryUnknownOrder() {
        FakeDataSource dataSource = new FakeDataSource();
        OrderStore store = new LeakyJdbcOrderStore(dataSource, CONFIG);

        for (int read = 0; read < 20; read++) {
            assertThat(store.find(UUID.randomUUID())).isEmpty();
        }

        assertThat(dataSource.held()).as("connections never returned after 20 reads of unknown orders").isEqualTo(20);
    }

    @Test
    void returnsConnectionWhenUpdateFails() {
        FakeDataSource dataSource = new FakeDataSource().failingUpdates(new SQLException("canceling statement", "57014"));
        OrderStore store = new JdbcOrderStore(dataSource, CONFIG);

        assertThatThrownBy(() -> store.markRouted(routedOrder()))
                .isInstanceOfSatisfying(DatabaseUnavailableException.class, failure ->
                        assertThat(failure.reason()).isEqualTo(DatabaseUnavailableException.Reason.STATEMENT_TIMEOUT))
                .hasMessage("could not record the routing of the order: the statement did not finish within 2s");
        assertThat(dataSource.held()).as("connections held after a failed update").isZero();
    }

    @Test
    void leakingPoolFlawKeepsConnectionWhenUpdateFails() {
        FakeDataSource dataSource = new FakeDataSource().failingUpdates(new SQLException("canceling statement", "57014"));
        OrderStore store = new LeakyJdbcOrderStore(dataSource, CONFIG);

        assertThatThrownBy(() -> store.markRouted(routedOrder())).isInstanceOf(DatabaseUnavailableException.class);
        assertThat(dataSource.held()).as("connections held after a failed update").isEqualTo(1);
    }

    @Test
    void saysThePoolIsExhaustedWhenNoConnectionIsFreeInTime() {
        FakeDataSource dataSource = new FakeDataSource().failingConnections(
                new SQLTransientConnectionException("orders - Connection is not available, request timed out after 250ms"));
        OrderStore store = new JdbcOrderStore(dataSource, CONFIG);

        assertThatThrownBy(() -> store.insert(routedOrder()))
                .isInstanceOfSatisfying(DatabaseUnavailableException.class, failure ->
                        assertThat(failure.reason()).isEqualTo(DatabaseUnavailableException.Reason.POOL_EXHAUSTED))
                .hasMessage("could not store the order: no database connection free within 250ms (pool exhausted: all 16"
                        + " connections in use)");
    }

    @Test
    void saysTheDatabaseIsUnreachableWhenThePoolCannotConnect() {
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "orders - Connection is not available, request timed out after 250ms", "08001",
                new SQLException("Connection to postgres:5432 refused", "08001"));
        OrderStore store = new JdbcOrderStore(new FakeDataSource().failingConnections(timeout), CONFIG);

        assertThatThrownBy(() -> store.find(UUID.randomUUID()))
                .isInstanceOfSatisfying(DatabaseUnavailableException.class, failure ->
                        assertThat(failure.reason()).isEqualTo(DatabaseUnavailableException.Reason.UNREACHABLE))
                .hasMessage("could not read the order: database unreachable (Connection to postgres:5432 refused)");
    }

    @Test
    void returnsConnectionWhenInsertFails() {
        FakeDataSource dataSource = new FakeDataSource().failingUpdates(new SQLException("canceling statement", "57014"));
        OrderStore store = new JdbcOrderStore(dataSource, CONFIG);

        for (int order = 0; order < 5; order++) {
            assertThatThrownBy(() -> store.insert(routedOrder())).isInstanceOf(DatabaseUnavailableException.class);
        }
        assertThat(dataSource.held()).as("connections held after 5 failed inserts").isZero();
    }

    @Test
    void leakingPoolFlawKeepsConnectionOfEveryFailedInsertButNotOfSuccessfulOnes() {
        FakeDataSource dataSource = new FakeDataSource();
        OrderStore store = new LeakyJdbcOrderStore(dataSource, CONFIG);
        for (int order = 0; order < 5; order++) {
            store.insert(routedOrder());
        }
        assertThat(dataSource.held()).as("connections held after 5 successful inserts").isZero();

        dataSource.failingUpdates(new SQLException("canceling statement due to lock timeout", "57014"));
        for (int order = 0; order < 5; order++) {
            assertThatThrownBy(() -> store.insert(routedOrder())).isInstanceOf(DatabaseUnavailableException.class);
        }

        assertThat(dataSource.held()).as("connections never returned after 5 failed inserts").isEqualTo(5);
    }
}
