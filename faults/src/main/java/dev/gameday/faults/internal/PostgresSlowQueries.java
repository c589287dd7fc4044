package dev.gameday.faults.internal;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes every write to a table slow: a statement-level {@code BEFORE INSERT OR UPDATE OR DELETE} trigger
 * ({@code gameday_slow_<id>}) whose function ({@code gameday_sleep_<id>}) runs {@code pg_sleep}, so each writing
 * statement waits the delay inside the server, holding its connection and its row locks as a slow disk or a
 * contended index would. Reads are not slowed. Verified by an insert probe (a statement that inserts no row, in a
 * transaction rolled back) taking at least the delay while {@code pg_trigger} shows the trigger; reverted by dropping
 * the trigger and its function, verified from {@code pg_trigger} and {@code pg_proc} and by the probe being fast.
 *
 * <p>Creating a trigger needs the table's owner (or the TRIGGER privilege) and CREATE on its schema. Taking the trigger's
 * lock waits (at most 5 s) for the application's writes in progress, and makes new ones queue meanwhile.
 *
 * <pre>{@code
 * Disruption slow = new PostgresSlowQueries("postgres", postgres.endpoint(), credentials, "orders",
 *         Duration.ofMillis(800), "postgres-slow-orders");   // usually through PostgresFaults.slowQueries(..)
 * }</pre>
 */
public final class PostgresSlowQueries implements Disruption {

    private static final Duration DDL_LOCK_TIMEOUT = Duration.ofSeconds(5);

    private final String targetName;
    private final Endpoint endpoint;
    private final Credentials credentials;
    private final String table;
    private final Duration delay;
    private final String faultName;

    public PostgresSlowQueries(String targetName, Endpoint endpoint, Credentials credentials, String table,
                               Duration delay, String faultName) {
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.table = PostgresSessions.requireIdentifier(table, faultName);
        this.delay = Objects.requireNonNull(delay, "delay");
        this.faultName = Objects.requireNonNull(faultName, "faultName");
    }

    @Override
    public String describe() {
        return "every write to table '" + table + "' of '" + targetName + "' (database '" + credentials.database()
                + "') delayed " + delay.toMillis() + " ms by a pg_sleep trigger";
    }

    /** Finds the table's schema through the user's search_path and names the trigger and function. */
    @Override
    public AppliedState prepare() throws SQLException {
        AppliedState state = PostgresSessions.state(endpoint, credentials, faultName, "drop-trigger");
        String schema;
        try (Connection connection = PostgresSessions.open(state);
             PreparedStatement query = connection.prepareStatement("SELECT n.nspname FROM pg_class c"
                     + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(quote_ident(?))")) {
            query.setString(1, table);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("Table '" + table + "' was not found in database '"
                            + credentials.database() + "' through the search_path of user '" + credentials.user()
                            + "': expected the table the application writes to. Check its name (\\dt in psql), and"
                            + " that the application created its schema before the fault.");
                }
                schema = row.getString(1);
            }
        }
        String id = state.value("id");
        return state.with("schema", schema).with("table", table)
                .with("function", "gameday_sleep_" + id).with("trigger", "gameday_slow_" + id)
                .with("delay-ms", Long.toString(delay.toMillis()));
    }

    @Override
    public void apply(AppliedState injection) throws SQLException {
        String function = qualified(injection, "function");
        try (Connection connection = PostgresSessions.open(injection);
             Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = " + DDL_LOCK_TIMEOUT.toMillis());
            connection.setAutoCommit(false);
            statement.execute("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $gameday$"
                    + " BEGIN PERFORM pg_sleep(" + String.format(Locale.ROOT, "%.3f", delay.toMillis() / 1000.0)
                    + "); RETURN NULL; END $gameday$");
            statement.execute("CREATE TRIGGER " + PostgresSessions.quote(injection.value("trigger"))
                    + " BEFORE INSERT OR UPDATE OR DELETE ON " + qualified(injection, "table")
                    + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "()");
            connection.commit();
        }
    }

    @Override
    public void revert(AppliedState injection) throws Exception {
        PostgresSessions.revertRecorded(injection);
    }

    /** Drops this injection's trigger and function, if they are there; says what it did. */
    static String dropTrigger(Connection connection, AppliedState state) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = " + DDL_LOCK_TIMEOUT.multipliedBy(2).toMillis());
            connection.setAutoCommit(false);
            statement.execute("DROP TRIGGER IF EXISTS " + PostgresSessions.quote(state.value("trigger")) + " ON "
                    + qualified(state, "table"));
            statement.execute("DROP FUNCTION IF EXISTS " + qualified(state, "function") + "()");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        return "trigger " + state.value("trigger") + " and function " + state.value("schema") + "."
                + state.value("function") + "() dropped (if there)";
    }

    /**
     * An insert probe: a statement that inserts no row, so that only the statement trigger runs, in a transaction
     * rolled back. In effect when it takes at least the delay and {@code pg_trigger} shows the trigger; not in effect
     * when trigger and function are gone and it takes less than half the delay.
     */
    @Override
    public Observation observe(AppliedState injection) throws SQLException {
        long nanos;
        boolean trigger;
        boolean function;
        try (Connection probe = PostgresSessions.open(injection, delay.plusSeconds(30));
             Statement statement = probe.createStatement()) {
            statement.execute("SET statement_timeout = " + delay.plusSeconds(10).toMillis());
            probe.setAutoCommit(false);
            String table = qualified(injection, "table");
            long start = System.nanoTime();
            try {
                statement.executeUpdate("INSERT INTO " + table + " OVERRIDING SYSTEM VALUE SELECT * FROM " + table
                        + " WHERE false");
                nanos = System.nanoTime() - start;
            } finally {
                probe.rollback();
            }
            probe.setAutoCommit(true);
            trigger = exists(probe, "SELECT 1 FROM pg_trigger WHERE tgname = ? AND tgrelid = to_regclass(?)",
                    injection.value("trigger"), table);
            function = exists(probe, "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE p.proname = ? AND n.nspname = ?", injection.value("function"), injection.value("schema"));
        }
        String evidence = "an insert probe on " + injection.value("schema") + "." + injection.value("table")
                + " (no row, rolled back) took " + PostgresSessions.millis(nanos) + " (delay " + delay.toMillis()
                + " ms); pg_trigger " + (trigger ? "shows" : "has no") + " trigger " + injection.value("trigger")
                + ", pg_proc " + (function ? "shows" : "has no") + " function " + injection.value("function");
        if (trigger && nanos >= delay.toNanos()) {
            return Observation.inEffect(evidence);
        }
        if (!trigger && !function && nanos < delay.toNanos() / 2) {
            return Observation.notInEffect(evidence);
        }
        return Observation.inconclusive(evidence);
    }

    private static boolean exists(Connection connection, String sql, String first, String second)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, first);
            query.setString(2, second);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /** {@code "schema"."name"} of the recorded table or function. */
    private static String qualified(AppliedState state, String key) {
        return PostgresSessions.quote(state.value("schema")) + "." + PostgresSessions.quote(state.value(key));
    }

    @Override
    public Duration observationTime() {
        return delay.plusSeconds(1);
    }
}
