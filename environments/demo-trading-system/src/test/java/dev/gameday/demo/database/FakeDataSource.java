package dev.gameday.demo.database;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source without a database that counts connections handed out and closed; queries find nothing. */
final class FakeDataSource implements DataSource {

    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private volatile SQLException updateFailure;
    private volatile SQLException connectionFailure;

    /** Makes every update fail with {@code failure}. */
    FakeDataSource failingUpdates(SQLException failure) {
        this.updateFailure = failure;
        return this;
    }

    /** Makes every connection request fail with {@code failure}, as a starved pool does. */
    FakeDataSource failingConnections(SQLException failure) {
        this.connectionFailure = failure;
        return this;
    }

    int held() {
        return opened.get() - closed.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (connectionFailure != null) {
            throw connectionFailure;
        }
        opened.incrementAndGet();
        AtomicInteger closes = new AtomicInteger();
        return proxy(Connection.class, (self, method, args) -> switch (method.getName()) {
            case "close" -> {
                if (closes.getAndIncrement() == 0) {
                    closed.incrementAndGet();
                }
                yield null;
            }
            case "prepareStatement" -> statement();
            default -> defaultValue(method.getReturnType());
        });
    }

    private PreparedStatement statement() {
        return proxy(PreparedStatement.class, (self, method, args) -> switch (method.getName()) {
            case "executeQuery" -> proxy(ResultSet.class, (rs, m, a) -> defaultValue(m.getReturnType()));
            case "executeUpdate" -> {
                if (updateFailure != null) {
                    throw updateFailure;
                }
                yield 1;
            }
            default -> defaultValue(method.getReturnType());
        });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(FakeDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
