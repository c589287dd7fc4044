package dev.gameday.faults.internal;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds {@code LOCK TABLE <table> IN ACCESS EXCLUSIVE MODE} in an open transaction until reverted: every query on the
 * table, reads included, waits. Verified by a probe query on the table that is cancelled by its {@code lock_timeout}
 * (SQLSTATE 55P03: the server says it waited for a lock) while {@code pg_locks} shows the lock granted to this
 * injection's connection; reverted by rolling that transaction back, verified by the probe query answering.
 *
 * <pre>{@code
 * Disruption lock = new PostgresTableLock("postgres", postgres.endpoint(), credentials, "orders",
 *         "postgres-lock-orders");                // usually through PostgresFaults.lockTable(target, "orders")
 * }</pre>
 */
public final class PostgresTableLock implements Disruption {

    /** How long the probe query waits for the table before the server cancels it as waiting for a lock. */
    static final Duration PROBE_LOCK_TIMEOUT = Duration.ofMillis(500);
    /** How long taking the lock may wait for the application's transactions on the table. */
    static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

    private final String targetName;
    private final Endpoint endpoint;
    private final Credentials credentials;
    private final String table;
    private final String faultName;
    private final Map<String, Connection> holders = new ConcurrentHashMap<>();

    public PostgresTableLock(String targetName, Endpoint endpoint, Credentials credentials, String table,
                             String faultName) {
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.table = PostgresSessions.requireIdentifier(table, faultName);
        this.faultName = Objects.requireNonNull(faultName, "faultName");
    }

    @Override
    public String describe() {
        return "ACCESS EXCLUSIVE lock held on table '" + table + "' of '" + targetName + "' (database '"
                + credentials.database() + "'): every query on it waits";
    }

    @Override
    public AppliedState prepare() {
        return PostgresSessions.state(endpoint, credentials, faultName, "release-lock").with("table", table);
    }

    @Override
    public void apply(AppliedState injection) throws SQLException {
        Connection holder = PostgresSessions.open(injection);
        holders.put(injection.value("id"), holder);
        try (Statement statement = holder.createStatement()) {
            statement.execute("SET lock_timeout = " + ACQUIRE_TIMEOUT.toMillis());
            holder.setAutoCommit(false);
            statement.execute("LOCK TABLE " + PostgresSessions.quote(injection.value("table"))
                    + " IN ACCESS EXCLUSIVE MODE");
        } catch (SQLException e) {
            if (PostgresSessions.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new SQLException("Could not lock table '" + table + "' within " + ACQUIRE_TIMEOUT.toSeconds()
                        + " s: expected the application's transactions on it to end, but one held it all that time ("
                        + PostgresSessions.message(e) + "). Look for a long transaction in pg_stat_activity, or try"
                        + " again.",
                        e.getSQLState(), e);
            }
            throw e;
        }
    }

    @Override
    public void revert(AppliedState injection) throws Exception {
        Connection holder = holders.remove(injection.value("id"));
        if (holder != null) {
            try {
                holder.rollback();
            } catch (SQLException e) {
                // broken connection: its backend ends and rolls back; revertRecorded terminates it if it lingers
            }
            PostgresSessions.closeQuietly(holder);
        }
        PostgresSessions.revertRecorded(injection);
    }

    /**
     * A probe query on the table from a fresh connection: in effect when the server cancels it for waiting on a lock
     * and {@code pg_locks} shows this injection's lock; not in effect when it answers and no lock of this injection is
     * there. Anything else (someone else's lock) shows neither.
     */
    @Override
    public Observation observe(AppliedState injection) throws SQLException {
        String quoted = PostgresSessions.quote(injection.value("table"));
        try (Connection probe = PostgresSessions.open(injection);
             Statement statement = probe.createStatement()) {
            statement.execute("SET lock_timeout = " + PROBE_LOCK_TIMEOUT.toMillis() + "; SET statement_timeout = "
                    + PROBE_LOCK_TIMEOUT.multipliedBy(6).toMillis());
            String probeSeen;
            boolean waited;
            boolean answered;
            long start = System.nanoTime();
            try {
                statement.executeQuery("SELECT 1 FROM " + quoted + " LIMIT 1").close();
                probeSeen = "SELECT 1 FROM " + table + " answered in "
                        + PostgresSessions.millis(System.nanoTime() - start);
                waited = false;
                answered = true;
            } catch (SQLException e) {
                if (!PostgresSessions.LOCK_NOT_AVAILABLE.equals(e.getSQLState())
                        && !PostgresSessions.QUERY_CANCELED.equals(e.getSQLState())) {
                    throw e;
                }
                probeSeen = "SELECT 1 FROM " + table + " waited and was cancelled after "
                        + PostgresSessions.millis(System.nanoTime() - start) + " (" + PostgresSessions.message(e) + ")";
                waited = PostgresSessions.LOCK_NOT_AVAILABLE.equals(e.getSQLState());
                answered = false;
            }
            List<Integer> lockHolders;
            try (PreparedStatement locks = probe.prepareStatement("SELECT l.pid FROM pg_locks l"
                    + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'relation'"
                    + " AND l.relation = to_regclass(quote_ident(?)) AND l.mode = 'AccessExclusiveLock'"
                    + " AND l.granted AND a.application_name = ?")) {
                locks.setString(1, injection.value("table"));
                locks.setString(2, injection.value("application-name"));
                lockHolders = PostgresSessions.pids(locks);
            }
            String evidence = probeSeen + "; pg_locks shows " + (lockHolders.isEmpty()
                    ? "no AccessExclusiveLock on it held by '" + injection.value("application-name") + "'"
                    : "its AccessExclusiveLock granted to '" + injection.value("application-name") + "' (pid "
                            + lockHolders.get(0) + ")");
            if (waited && !lockHolders.isEmpty()) {
                return Observation.inEffect(evidence);
            }
            if (answered && lockHolders.isEmpty()) {
                return Observation.notInEffect(evidence);
            }
            return Observation.inconclusive(evidence);
        }
    }

    @Override
    public Duration observationTime() {
        return PROBE_LOCK_TIMEOUT.multipliedBy(6).plusSeconds(1);
    }
}
