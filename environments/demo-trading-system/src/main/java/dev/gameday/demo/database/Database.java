package dev.gameday.demo.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.gameday.demo.config.DatabaseConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL side of the service: the bounded request pool, a one-connection pool for health probes, and
 * the {@code orders} table.
 *
 * <p>The service starts even when the database is down: the schema is created in the background as soon as
 * the database answers, and readiness reports the database DOWN until then.
 */
public final class Database implements AutoCloseable {

    static final String CREATE_ORDERS = "CREATE TABLE IF NOT EXISTS orders ("
            + " id uuid PRIMARY KEY,"
            + " account text NOT NULL,"
            + " symbol text NOT NULL,"
            + " side text NOT NULL,"
            + " quantity numeric NOT NULL,"
            + " price numeric NOT NULL,"
            + " status text NOT NULL,"
            + " exchange_order_id text,"
            + " created_at timestamptz NOT NULL,"
            + " updated_at timestamptz NOT NULL)";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final String APPLICATION_NAME = "demo-trading-system";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration VALIDATION_TIMEOUT = Duration.ofMillis(250);
    private static final Duration PROBE_POOL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration SCHEMA_RETRY_INTERVAL = Duration.ofSeconds(1);
    /** Longer than any legitimate hold (bounded by the socket timeout), so only real leaks are reported. */
    private static final Duration LEAK_DETECTION_THRESHOLD = Duration.ofSeconds(10);
    private static final String DUPLICATE_TABLE = "42P07";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DatabaseConfig config;
    private final HikariDataSource pool;
    private final HikariDataSource probePool;
    private final ScheduledExecutorService schemaRetry;
    private volatile boolean schemaReady;

    private Database(DatabaseConfig config, HikariDataSource pool, HikariDataSource probePool) {
        this.config = config;
        this.pool = pool;
        this.probePool = probePool;
        this.schemaRetry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "schema-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens both pools and creates the schema now, or in the background once the database answers. */
    public static Database open(DatabaseConfig config, MeterRegistry registry) {
        return open(config, false, registry);
    }

    /**
     * Opens both pools and creates the schema now, or in the background once the database answers. With
     * {@code noTimeout} (the {@code no-database-timeout} flaw) the request pool has no connect, socket or statement
     * timeout and waits for a free connection forever; the health probe stays bounded.
     */
    public static Database open(DatabaseConfig config, boolean noTimeout, MeterRegistry registry) {
        MicrometerMetricsTrackerFactory metrics = new MicrometerMetricsTrackerFactory(registry);
        // The socket timeout bounds what the statement timeout cannot: a database that stopped answering at all.
        Duration socketTimeout = config.statementTimeout().plusSeconds(1);
        HikariConfig requests = noTimeout
                ? unbounded(config)
                : hikari(config, "orders", config.poolSize(), config.poolTimeout(), socketTimeout);
        requests.setMinimumIdle(config.poolSize());
        requests.setMetricsTrackerFactory(metrics);
        requests.setLeakDetectionThreshold(LEAK_DETECTION_THRESHOLD.toMillis());
        if (!noTimeout) {
            requests.addDataSourceProperty("options", "-c statement_timeout=" + config.statementTimeout().toMillis());
        }
        HikariConfig probes = hikari(config, "health", 1, PROBE_POOL_TIMEOUT, PROBE_TIMEOUT);
        probes.setMinimumIdle(1);
        probes.setMetricsTrackerFactory(metrics);
        probes.addDataSourceProperty("options", "-c statement_timeout=" + PROBE_TIMEOUT.toMillis());
        Database database = new Database(config, new HikariDataSource(requests), new HikariDataSource(probes));
        database.ensureSchemaOrRetry();
        return database;
    }

    /** The bounded pool that serves requests. */
    public DataSource dataSource() {
        return pool;
    }

    /** How many request connections are in use, idle, and awaited, for the readiness report. */
    public PoolState poolState() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        return bean == null ? new PoolState(0, 0, 0)
                : new PoolState(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection());
    }

    /** Occupancy of the request pool. */
    public record PoolState(int active, int idle, int waiting) {
    }

    /**
     * Why the database cannot serve, if it cannot: a bounded {@code SELECT 1} on the probe pool.
     *
     * <p>The probe has its own connection so that a request pool starved by load does not, by itself, mark the
     * database down and take every replica out of the load balancer at once.
     */
    public Optional<String> problem() {
        try (Connection connection = probePool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) PROBE_TIMEOUT.toSeconds());
            statement.execute("SELECT 1");
        } catch (SQLException failure) {
            return Optional.of(String.valueOf(failure.getMessage()));
        }
        return schemaReady ? Optional.empty() : Optional.of("the orders table is not created yet");
    }

    @Override
    public void close() {
        schemaRetry.shutdownNow();
        try (probePool) {
            pool.close();
        }
    }

    private void ensureSchemaOrRetry() {
        if (!tryEnsureSchema(true)) {
            schemaRetry.scheduleWithFixedDelay(() -> {
                if (tryEnsureSchema(false)) {
                    schemaRetry.shutdown();
                }
            }, SCHEMA_RETRY_INTERVAL.toMillis(), SCHEMA_RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean tryEnsureSchema(boolean first) {
        // A connection of its own: at start the request pool is still filling, and its wait is tuned for requests.
        Properties login = new Properties();
        login.setProperty("user", config.user());
        login.setProperty("password", config.password());
        login.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        login.setProperty("socketTimeout", String.valueOf(wholeSeconds(config.statementTimeout().plusSeconds(1))));
        login.setProperty("ApplicationName", APPLICATION_NAME);
        try (Connection connection = DriverManager.getConnection(config.url(), login);
             Statement statement = connection.createStatement()) {
            statement.execute(CREATE_ORDERS);
        } catch (SQLException failure) {
            // Replicas starting together race on CREATE TABLE IF NOT EXISTS; losing that race is success.
            boolean createdByAnother = DUPLICATE_TABLE.equals(failure.getSQLState())
                    || UNIQUE_VIOLATION.equals(failure.getSQLState());
            if (!createdByAnother) {
                if (first) {
                    LOG.warn("Cannot create the orders table yet ({}); retrying every {} s, readiness stays DOWN until then",
                            failure.getMessage(), SCHEMA_RETRY_INTERVAL.toSeconds());
                }
                return false;
            }
        }
        if (!first) {
            LOG.info("Database reachable again: orders table ready");
        }
        schemaReady = true;
        return true;
    }

    private static HikariConfig hikari(DatabaseConfig config, String name, int size, Duration poolTimeout, Duration socketTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(size);
        hikari.setConnectionTimeout(poolTimeout.toMillis());
        hikari.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
        // Start even when the database is down; the pool fills as soon as it answers.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT.toSeconds()));
        hikari.addDataSourceProperty("socketTimeout", String.valueOf(wholeSeconds(socketTimeout)));
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        return hikari;
    }

    /**
     * The request pool as it is written when every timeout is left to "the library's default", misread as "a
     * sensible bound": HikariCP's 0 means wait forever for a connection, PostgreSQL JDBC's 0 means no connect and no
     * socket timeout, and no {@code statement_timeout} means a query waits on a lock as long as it is held.
     */
    private static HikariConfig unbounded(DatabaseConfig config) {
        HikariConfig hikari = hikari(config, "orders", config.poolSize(), config.poolTimeout(), Duration.ZERO);
        hikari.setConnectionTimeout(0);
        hikari.addDataSourceProperty("connectTimeout", "0");
        hikari.addDataSourceProperty("socketTimeout", "0");
        return hikari;
    }

    private static long wholeSeconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
