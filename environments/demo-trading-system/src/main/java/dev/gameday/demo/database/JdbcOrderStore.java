package dev.gameday.demo.database;

import dev.gameday.demo.config.DatabaseConfig;
import dev.gameday.demo.config.Durations;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderStatus;
import dev.gameday.demo.order.Side;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The order store on a pooled JDBC data source; every connection goes back to the pool whatever happens. */
public class JdbcOrderStore implements OrderStore {

    static final String INSERT_ORDER = "INSERT INTO orders (id, account, symbol, side, quantity, price, status,"
            + " exchange_order_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_ROUTED = "UPDATE orders SET status = ?, exchange_order_id = ?, updated_at = ? WHERE id = ?";
    static final String SELECT_ORDER = "SELECT id, account, symbol, side, quantity, price, status, exchange_order_id,"
            + " created_at, updated_at FROM orders WHERE id = ?";

    private static final String QUERY_CANCELED = "57014";
    private static final String CONNECTION_EXCEPTION_CLASS = "08";

    protected final DataSource dataSource;
    private final DatabaseConfig config;

    public JdbcOrderStore(DataSource dataSource, DatabaseConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Override
    public void insert(Order order) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT_ORDER)) {
            bindInsert(insert, order);
            insert.executeUpdate();
        } catch (SQLException failure) {
            throw unavailable(failure, "store the order");
        }
    }

    /** Binds every column of {@code order} to {@link #INSERT_ORDER} (and to the same column list elsewhere). */
    static void bindInsert(PreparedStatement insert, Order order) throws SQLException {
        insert.setObject(1, order.id());
        insert.setString(2, order.account());
        insert.setString(3, order.symbol());
        insert.setString(4, order.side().name());
        insert.setBigDecimal(5, order.quantity());
        insert.setBigDecimal(6, order.price());
        insert.setString(7, order.status().name());
        insert.setString(8, order.exchangeOrderId());
        insert.setObject(9, timestamp(order.createdAt()));
        insert.setObject(10, timestamp(order.updatedAt()));
    }

    @Override
    public void markRouted(Order order) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(UPDATE_ROUTED)) {
            bindRouted(update, order);
            update.executeUpdate();
        } catch (SQLException failure) {
            throw unavailable(failure, "record the routing of the order");
        }
    }

    @Override
    public Optional<Order> find(UUID id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT_ORDER)) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException failure) {
            throw unavailable(failure, "read the order");
        }
    }

    static void bindRouted(PreparedStatement update, Order order) throws SQLException {
        update.setString(1, order.status().name());
        update.setString(2, order.exchangeOrderId());
        update.setObject(3, timestamp(order.updatedAt()));
        update.setObject(4, order.id());
    }

    static Order read(ResultSet row) throws SQLException {
        return new Order(row.getObject(1, UUID.class), row.getString(2), row.getString(3), Side.valueOf(row.getString(4)),
                row.getBigDecimal(5), row.getBigDecimal(6), OrderStatus.valueOf(row.getString(7)), row.getString(8),
                row.getObject(9, OffsetDateTime.class).toInstant(), row.getObject(10, OffsetDateTime.class).toInstant());
    }

    /** Turns a JDBC failure into one the API can explain: which limit was hit, or why the database is unusable. */
    DatabaseUnavailableException unavailable(SQLException failure, String action) {
        if (failure instanceof SQLTransientConnectionException) {
            if (failure.getCause() == null) {
                return new DatabaseUnavailableException(DatabaseUnavailableException.Reason.POOL_EXHAUSTED,
                        "could not " + action + ": no database connection free within " + Durations.format(config.poolTimeout())
                                + " (pool exhausted: all " + config.poolSize() + " connections in use)", failure);
            }
            return new DatabaseUnavailableException(DatabaseUnavailableException.Reason.UNREACHABLE,
                    "could not " + action + ": database unreachable (" + failure.getCause().getMessage() + ")", failure);
        }
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        if (state.equals(QUERY_CANCELED)) {
            return new DatabaseUnavailableException(DatabaseUnavailableException.Reason.STATEMENT_TIMEOUT,
                    "could not " + action + ": the statement did not finish within "
                            + Durations.format(config.statementTimeout()), failure);
        }
        if (state.startsWith(CONNECTION_EXCEPTION_CLASS)) {
            return new DatabaseUnavailableException(DatabaseUnavailableException.Reason.UNREACHABLE,
                    "could not " + action + ": connection to the database lost (" + failure.getMessage() + ")", failure);
        }
        return new DatabaseUnavailableException(DatabaseUnavailableException.Reason.ERROR,
                "could not " + action + ": database error " + state + " (" + failure.getMessage() + ")", failure);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
