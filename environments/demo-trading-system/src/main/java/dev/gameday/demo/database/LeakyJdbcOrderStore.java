package dev.gameday.demo.database;

import dev.gameday.demo.config.DatabaseConfig;
import dev.gameday.demo.order.Order;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code leaking-pool} flaw: the store as it was first written, closing the connection only at the end of the
 * happy path.
 *
 * <p>A read of an unknown order (404) returns early, and any statement that fails (an insert, update or read that
 * times out on a lock, a connection lost mid-statement) throws past the close, so their connection never goes back
 * to the pool. Under healthy traffic that reads only existing orders nothing leaks; a database fault that makes
 * statements fail leaks one connection per failure, and the pool stays drained after the fault has gone: every
 * request then fails with "pool exhausted" until the process restarts (incident 7).
 */
public final class LeakyJdbcOrderStore extends JdbcOrderStore {

    public LeakyJdbcOrderStore(DataSource dataSource, DatabaseConfig config) {
        super(dataSource, config);
    }

    @Override
    public void insert(Order order) {
        try {
            Connection connection = dataSource.getConnection();
            PreparedStatement insert = connection.prepareStatement(INSERT_ORDER);
            bindInsert(insert, order);
            insert.executeUpdate();
            insert.close();
            connection.close();
        } catch (SQLException failure) {
            throw unavailable(failure, "store the order");
        }
    }

    @Override
    public Optional<Order> find(UUID id) {
        try {
            Connection connection = dataSource.getConnection();
            PreparedStatement select = connection.prepareStatement(SELECT_ORDER);
            select.setObject(1, id);
            ResultSet row = select.executeQuery();
            if (!row.next()) {
                return Optional.empty();
            }
            Order order = read(row);
            row.close();
            select.close();
            connection.close();
            return Optional.of(order);
        } catch (SQLException failure) {
            throw unavailable(failure, "read the order");
        }
    }

    @Override
    public void markRouted(Order order) {
        try {
            Connection connection = dataSource.getConnection();
            PreparedStatement update = connection.prepareStatement(UPDATE_ROUTED);
            bindRouted(update, order);
            update.executeUpdate();
            update.close();
            connection.close();
        } catch (SQLException failure) {
            throw unavailable(failure, "record the routing of the order");
        }
    }
}
