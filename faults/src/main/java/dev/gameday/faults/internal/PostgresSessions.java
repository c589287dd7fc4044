package dev.gameday.faults.internal;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.faults.AppliedState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the PostgreSQL fault backends share: how the harness connects (every connection tagged with its injection's
 * {@code application_name}, so that {@code pg_stat_activity} shows it and a later run can terminate it), identifier
 * checks, and the revert of a recorded injection in another process ({@link #revertRecorded}).
 *
 * <pre>{@code
 * AppliedState state = PostgresSessions.state(endpoint, credentials, "postgres-lock-orders", "release-lock");
 * try (Connection connection = PostgresSessions.open(state)) {   // tagged gameday-postgres-lock-orders-1f3a9c2e
 *     ...
 * }
 * String outcome = PostgresSessions.revertRecorded(state);       // terminates what is left with that tag
 * }</pre>
 */
public final class PostgresSessions {

    /** The backend name in {@link AppliedState}s and the fault journal. */
    public static final String BACKEND = "postgres";
    /** Every connection, function and trigger this project creates is named with this prefix. */
    public static final String TAG_PREFIX = "gameday-";
    /** SQLSTATE of a connection refused because every slot is taken ("too many clients", "reserved slots"). */
    public static final String TOO_MANY_CONNECTIONS = "53300";
    /** SQLSTATE of a statement cancelled by {@code lock_timeout}: it waited for a lock that was held. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** SQLSTATE of a statement cancelled by {@code statement_timeout} (or a cancel request). */
    public static final String QUERY_CANCELED = "57014";
    /** How long the cleanup keeps trying to connect while every connection slot is still held. */
    static final Duration SLOTS_HELD_RETRY = Duration.ofSeconds(30);

    /**
     * A condition on {@code pg_stat_activity}: a backend this user may terminate. Only a superuser may terminate a
     * superuser's backend; asking otherwise fails the whole statement, so those are left out.
     */
    static final String MAY_TERMINATE = "(NOT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.oid = usesysid),"
            + " false) OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user))";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    /** PostgreSQL truncates names, {@code application_name} included, to 63 bytes. */
    private static final int MAX_NAME = 63;

    private PostgresSessions() {
    }

    /**
     * The start of an injection's state: where and how to connect, a tag of its own for its connections, and what its
     * revert does ({@code action}). The password is recorded because the revert must log in again; the journal is
     * readable by its owner only and {@link AppliedState#toString()} hides it.
     */
    public static AppliedState state(Endpoint endpoint, Credentials credentials, String faultName, String action) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String fault = faultName.length() > MAX_NAME - TAG_PREFIX.length() - id.length() - 1
                ? faultName.substring(0, MAX_NAME - TAG_PREFIX.length() - id.length() - 1) : faultName;
        return AppliedState.of(BACKEND)
                .with("action", action)
                .with("host", endpoint.host())
                .with("port", Integer.toString(endpoint.port()))
                .with("database", credentials.database())
                .with("user", credentials.user())
                .with("password", credentials.password())
                .with("application-name", TAG_PREFIX + fault + "-" + id)
                .with("id", id);
    }

    /**
     * A table name as the faults accept it: lower-case letters, digits and underscores, not starting with a digit, at
     * most 63 characters. Anything else is refused rather than quoted, so that no caller-supplied text reaches SQL
     * unchecked.
     */
    public static String requireIdentifier(String name, String faultName) {
        if (name == null || !IDENTIFIER.matcher(name).matches() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("Fault '" + faultName + "': a table name must be lower-case letters,"
                    + " digits and underscores, not starting with a digit, at most 63 characters (such as 'orders'),"
                    + " but was " + (name == null ? "null" : "'" + name + "'") + ". Name the table as the database"
                    + " knows it, without schema or quotes; it is found through the user's search_path.");
        }
        return name;
    }

    /** A name quoted as an SQL identifier, so that it is taken literally whatever it contains. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A new connection of this injection, tagged with its {@code application-name}, in autocommit mode. */
    public static Connection open(AppliedState state) throws SQLException {
        return open(state, Duration.ofSeconds(30));
    }

    /**
     * A new connection of this injection, tagged with its {@code application-name}, in autocommit mode; a read on it
     * gives up after {@code readTimeout}. It asks the server for TCP keepalives, so that the server ends it soon after
     * the harness's host goes away, and turns off the idle timeouts that would end a held connection early.
     */
    public static Connection open(AppliedState state, Duration readTimeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", state.value("user"));
        properties.setProperty("password", state.value("password"));
        properties.setProperty("ApplicationName", state.value("application-name"));
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, readTimeout.toSeconds())));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("assumeMinServerVersion", "10");
        Connection connection = DriverManager.getConnection(url(state), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5;"
                    + " SET tcp_keepalives_count = 3; SET idle_in_transaction_session_timeout = 0");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    static String url(AppliedState state) {
        String host = state.value("host");
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + state.value("port") + "/"
                + URLEncoder.encode(state.value("database"), StandardCharsets.UTF_8);
    }

    /** {@code user@host:port/database}, for messages. */
    public static String where(AppliedState state) {
        return state.value("user") + "@" + state.value("host") + ":" + state.value("port") + "/"
                + state.value("database");
    }

    /** Whether the exception is the server refusing a connection because all slots are taken. */
    public static boolean tooManyConnections(SQLException e) {
        return TOO_MANY_CONNECTIONS.equals(e.getSQLState());
    }

    /** Whether the exception is a connection that could not be made at all (SQLSTATE class 08). */
    static boolean unreachable(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** Backend pids of other connections tagged {@code applicationName}, seen from {@code connection}. */
    static List<Integer> taggedPids(Connection connection, String applicationName) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                + " WHERE application_name = ? AND pid <> pg_backend_pid() ORDER BY pid")) {
            query.setString(1, applicationName);
            return pids(query);
        }
    }

    /**
     * A query that terminates the other backends matching {@code condition} and returns their pids. The candidates
     * are materialised first, so that the server never evaluates {@code pg_terminate_backend} on a row (this
     * connection's own, say) before the conditions that exclude it.
     */
    static String terminating(String condition) {
        return "WITH victims AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
                + condition + ") SELECT pid FROM victims WHERE pg_terminate_backend(pid) ORDER BY pid";
    }

    static List<Integer> pids(PreparedStatement query) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        }
        return pids;
    }

    /** The server's message on one line (it may add a "Where:" line), for evidence and errors. */
    public static String message(SQLException e) {
        return String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
    }

    /** Milliseconds with one decimal, for evidence. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** Closes quietly: used on connections that may already be broken. */
    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // already gone: the server ends its backend, which rolls back whatever it held
        }
    }

    /**
     * Reverts an injection from its recorded state alone (the fault journal's cleanup, in another process):
     * terminates every backend still tagged with its {@code application_name} (which rolls back a held lock and frees
     * held connection slots), then drops what the fault created (a slowing trigger and its function). When the server
     * no longer answers, held connections and locks went with it; a trigger would not (it survives a restart), so
     * that revert fails and its journal entry stays.
     *
     * <p>While every connection slot is still held (a {@code hold-connections} injection whose connections outlived
     * its process), the cleanup cannot log in; it retries for 30 s, as the server ends
     * those connections once their TCP keepalives go unanswered (about 25 s after their host went away). When the
     * credentials are a superuser's, the server's {@code superuser_reserved_connections} do not help: the fault held
     * them too, since an application logging in as a superuser could use them.
     */
    public static String revertRecorded(AppliedState state) throws Exception {
        String action = state.value("action");
        if (action.equals("none")) {
            return "an event (" + state.value("application-name") + "): nothing was left applied";
        }
        Connection connection;
        try {
            connection = openRetryingWhileFull(state);
        } catch (SQLException e) {
            if (unreachable(e) && action.equals("drop-trigger")) {
                throw new SQLException("PostgreSQL at " + state.value("host") + ":" + state.value("port") + " does not"
                        + " answer (" + message(e) + "), so trigger " + state.value("trigger") + " on "
                        + state.value("schema") + "." + state.value("table") + " could not be dropped; expected the"
                        + " server to answer, since a trigger survives a restart of the database. Start it and run"
                        + " 'gameday cleanup' again; if the database is gone for good, delete the journal entry.",
                        e.getSQLState(), e);
            }
            if (unreachable(e)) {
                return "PostgreSQL at " + state.value("host") + ":" + state.value("port") + " no longer answers ("
                        + message(e) + "): its connections, and what they held, went with it, so nothing is left"
                        + " applied";
            }
            throw e;
        }
        try (connection) {
            List<String> done = new ArrayList<>();
            List<Integer> terminated = new ArrayList<>();
            try (PreparedStatement terminate = connection.prepareStatement(terminating("application_name = ?"))) {
                terminate.setString(1, state.value("application-name"));
                terminated.addAll(pids(terminate));
            }
            done.add(terminated.isEmpty()
                    ? "no connection tagged '" + state.value("application-name") + "' was left"
                    : "terminated " + terminated.size() + " connection(s) tagged '" + state.value("application-name")
                            + "' (pids " + terminated + ")");
            if (action.equals("drop-trigger")) {
                done.add(PostgresSlowQueries.dropTrigger(connection, state));
            }
            return String.join("; ", done) + " on " + where(state);
        }
    }

    private static Connection openRetryingWhileFull(AppliedState state) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SLOTS_HELD_RETRY.toNanos();
        while (true) {
            try {
                return open(state);
            } catch (SQLException e) {
                if (!tooManyConnections(e) || System.nanoTime() > deadline) {
                    if (tooManyConnections(e)) {
                        throw new SQLException("PostgreSQL at " + where(state) + " still refused connections after "
                                + SLOTS_HELD_RETRY.toSeconds() + " s (" + message(e) + "): every slot is held,"
                                + " expected the connections tagged '" + state.value("application-name") + "' to end"
                                + " with the process that held them. Find them with SELECT pid, application_name FROM"
                                + " pg_stat_activity (psql as a superuser, or from inside the container), end them"
                                + " with pg_terminate_backend(pid), or restart the database; then run 'gameday"
                                + " cleanup' again.", e.getSQLState(), e);
                    }
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
