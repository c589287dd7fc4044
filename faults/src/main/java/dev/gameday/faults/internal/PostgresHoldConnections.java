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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starves the application's connection pool: the harness opens connections until the server refuses one, keeps them
 * idle in a transaction, and terminates the application's idle connections in the target database, so that its pool
 * must reconnect and cannot. A few rounds grab the slots the terminated connections free before the application's
 * pool does, and until reverted the injection keeps re-taking any slot that comes free and terminating the
 * application's idle connections every {@link #KEEP_INTERVAL}. Verified by a fresh connection being refused
 * ({@code 53300}) while {@code pg_stat_activity} shows this injection's connections; reverted by closing them,
 * verified by a fresh connection being accepted again.
 *
 * <p>Logging in as a superuser, the harness takes every slot, the {@code superuser_reserved_connections} included
 * (an application that logs in as a superuser could use them); as an ordinary user it takes every slot but those, so
 * the application is starved only if it logs in as an ordinary user too. An ordinary user sees which of another
 * user's connections are idle only with {@code pg_read_all_stats}, and terminates them only with
 * {@code pg_signal_backend}; the evidence counts the connections whose state it could not see.
 *
 * <pre>{@code
 * Disruption starve = new PostgresHoldConnections("postgres", postgres.endpoint(), credentials,
 *         "postgres-hold-connections");           // usually through PostgresFaults.holdConnections(target)
 * }</pre>
 */
public final class PostgresHoldConnections implements Disruption {

    /** How many times apply fills the free slots and terminates the application's idle connections. */
    private static final int ROUNDS = 4;
    /** How often a held injection re-takes a slot that came free and terminates the application's idle connections. */
    static final Duration KEEP_INTERVAL = Duration.ofMillis(250);
    private static final ScheduledExecutorService KEEPER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "gameday-postgres-hold-connections");
        thread.setDaemon(true);
        return thread;
    });

    private final String targetName;
    private final Endpoint endpoint;
    private final Credentials credentials;
    private final String faultName;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** One injection's connections, and what it did to the application's. */
    private static final class Held {
        final List<Connection> connections = new ArrayList<>();
        final List<Integer> terminated = new ArrayList<>();
        int invisible;
        Connection observer;
        String refusal = "";
        int limit;
        boolean released;
        ScheduledFuture<?> keeper;
        String keeperFailure = "";
    }

    public PostgresHoldConnections(String targetName, Endpoint endpoint, Credentials credentials, String faultName) {
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.faultName = Objects.requireNonNull(faultName, "faultName");
    }

    @Override
    public String describe() {
        return "every PostgreSQL connection slot of '" + targetName + "' held idle in transaction, and the"
                + " application's idle connections to database '" + credentials.database() + "' terminated";
    }

    @Override
    public AppliedState prepare() {
        return PostgresSessions.state(endpoint, credentials, faultName, "hold-connections");
    }

    @Override
    public void apply(AppliedState injection) throws SQLException {
        Held mine = new Held();
        held.put(injection.value("id"), mine);
        synchronized (mine) {
            mine.observer = PostgresSessions.open(injection);
            try (Statement statement = mine.observer.createStatement();
                 ResultSet row = statement.executeQuery("SHOW max_connections")) {
                row.next();
                mine.limit = Integer.parseInt(row.getString(1));
            }
            for (int round = 0; round < ROUNDS; round++) {
                fill(injection, mine);
                if (terminateApplicationsIdle(mine) == 0) {
                    break;
                }
            }
            if (mine.refusal.isEmpty()) {
                throw new IllegalStateException("PostgreSQL at " + PostgresSessions.where(injection) + " accepted "
                        + mine.connections.size() + " connections, as many as its max_connections, without refusing"
                        + " one; expected a refusal (SQLSTATE 53300) once all slots are held. Is a connection pooler"
                        + " (PgBouncer) in front of it? Point the target at the server itself.");
            }
            mine.keeper = KEEPER.scheduleWithFixedDelay(() -> keep(injection, mine), KEEP_INTERVAL.toMillis(),
                    KEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Until reverted, takes any slot that comes free (a connection of ours ended, the application's pool let one go)
     * and terminates the application's idle connections again, so that the starvation lasts as long as the fault.
     */
    private static void keep(AppliedState injection, Held mine) {
        synchronized (mine) {
            if (mine.released) {
                return;
            }
            try {
                fill(injection, mine);
                if (terminateApplicationsIdle(mine) > 0) {
                    fill(injection, mine);
                }
                mine.keeperFailure = "";
            } catch (SQLException | RuntimeException e) {
                mine.keeperFailure = e instanceof SQLException sql ? PostgresSessions.message(sql) : e.toString();
            }
        }
    }

    /** Opens connections until the server refuses one, each left idle in an open transaction. */
    private static void fill(AppliedState injection, Held mine) throws SQLException {
        while (mine.connections.size() <= mine.limit
                || mine.connections.removeIf(PostgresHoldConnections::ended)) { // checked only at the limit
            Connection connection;
            try {
                connection = PostgresSessions.open(injection);
            } catch (SQLException e) {
                if (PostgresSessions.tooManyConnections(e)) {
                    mine.refusal = PostgresSessions.message(e);
                    return;
                }
                throw e;
            }
            mine.connections.add(connection);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1"); // the transaction is open from here on: idle in transaction
            }
        }
    }

    /** Whether a held connection was ended (terminated by someone, or its server went away); closes it if so. */
    private static boolean ended(Connection connection) {
        try {
            if (connection.isValid(2)) {
                return false;
            }
        } catch (SQLException e) {
            // not valid
        }
        PostgresSessions.closeQuietly(connection);
        return true;
    }

    /** Terminates the idle connections of everyone else (not tagged {@code gameday-}) to the target database. */
    private static int terminateApplicationsIdle(Held mine) throws SQLException {
        List<Integer> pids;
        try (PreparedStatement terminate = mine.observer.prepareStatement(PostgresSessions.terminating(
                "datname = current_database() AND backend_type = 'client backend' AND state = 'idle'"
                        + " AND coalesce(application_name, '') NOT LIKE 'gameday-%' AND "
                        + PostgresSessions.MAY_TERMINATE))) {
            pids = PostgresSessions.pids(terminate);
            mine.terminated.addAll(pids);
        }
        try (Statement statement = mine.observer.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND state IS NULL AND pid <> pg_backend_pid()")) {
            row.next();
            mine.invisible = row.getInt(1);
        }
        return pids.size();
    }

    @Override
    public void revert(AppliedState injection) throws Exception {
        Held mine = held.remove(injection.value("id"));
        if (mine != null) {
            if (mine.keeper != null) {
                mine.keeper.cancel(false);
            }
            synchronized (mine) {
                mine.released = true;
                mine.connections.forEach(PostgresSessions::closeQuietly);
                PostgresSessions.closeQuietly(mine.observer);
            }
        }
        PostgresSessions.revertRecorded(injection);
    }

    /**
     * In effect when a fresh connection is refused for want of a slot and {@code pg_stat_activity} shows this
     * injection's connections; not in effect when a fresh connection is accepted.
     */
    @Override
    public Observation observe(AppliedState injection) throws SQLException {
        String tag = injection.value("application-name");
        long start = System.nanoTime();
        try (Connection fresh = PostgresSessions.open(injection)) {
            long accepted = System.nanoTime() - start;
            List<Integer> ours = PostgresSessions.taggedPids(fresh, tag);
            String evidence = "a fresh connection to " + PostgresSessions.where(injection) + " was accepted in "
                    + PostgresSessions.millis(accepted) + "; pg_stat_activity shows " + ours.size() + " other"
                    + " connection(s) tagged '" + tag + "'";
            // A free slot shows the effect absent; once reverted, only when no connection of ours lingers either.
            return ours.isEmpty() || held.containsKey(injection.value("id"))
                    ? Observation.notInEffect(evidence)
                    : Observation.inconclusive(evidence + ", still ending");
        } catch (SQLException e) {
            if (!PostgresSessions.tooManyConnections(e)) {
                throw e;
            }
            Held mine = held.get(injection.value("id"));
            if (mine == null || mine.observer == null) {
                return Observation.inconclusive("a fresh connection was refused (" + PostgresSessions.message(e)
                        + ") while this injection holds no connection: the server is full without the fault");
            }
            List<Integer> ours;
            synchronized (mine) {
                ours = PostgresSessions.taggedPids(mine.observer, tag);
            }
            String evidence = "a fresh connection to " + PostgresSessions.where(injection) + " was refused ("
                    + PostgresSessions.message(e) + "); pg_stat_activity shows " + (ours.size() + 1)
                    + " connections tagged '" + tag + "' holding the slots; the application's idle connections"
                    + " terminated: " + mine.terminated.size()
                    + " (pids " + mine.terminated + ")" + (mine.invisible == 0 ? "" : "; " + mine.invisible
                    + " connection(s) of other users whose state this user may not see were left (grant it"
                    + " pg_read_all_stats and pg_signal_backend)") + (mine.keeperFailure.isEmpty() ? ""
                    : "; keeping the slots held last failed: " + mine.keeperFailure);
            return ours.isEmpty() ? Observation.inconclusive(evidence) : Observation.inEffect(evidence);
        }
    }

    /** A connection attempt and a query, each well under a second unless the server is struggling. */
    @Override
    public Duration observationTime() {
        return Duration.ofSeconds(2);
    }
}
