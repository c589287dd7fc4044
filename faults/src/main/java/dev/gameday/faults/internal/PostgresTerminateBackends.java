package dev.gameday.faults.internal;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An event: {@code pg_terminate_backend} of every client backend connected to the target database, except the
 * harness's own (tagged {@code gameday-}, so that a held lock of another fault is not silently released). The
 * application sees its connections fail ({@code 57P01 terminating connection due to administrator command}) and must
 * reconnect. Verified by the terminated pids being gone from {@code pg_stat_activity}; nothing is reverted.
 *
 * <p>Terminating another user's backends needs a superuser, or membership in {@code pg_signal_backend} (and
 * {@code pg_read_all_stats}, to see them) for non-superusers' backends.
 *
 * <pre>{@code
 * Disruption kick = new PostgresTerminateBackends("postgres", postgres.endpoint(), credentials,
 *         "postgres-terminate-backends");         // usually through PostgresFaults.terminateBackends(target)
 * }</pre>
 */
public final class PostgresTerminateBackends implements Disruption {

    private final String targetName;
    private final Endpoint endpoint;
    private final Credentials credentials;
    private final String faultName;
    private final Map<String, List<Integer>> terminated = new ConcurrentHashMap<>();

    public PostgresTerminateBackends(String targetName, Endpoint endpoint, Credentials credentials, String faultName) {
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.faultName = Objects.requireNonNull(faultName, "faultName");
    }

    @Override
    public Kind kind() {
        return Kind.EVENT;
    }

    @Override
    public String describe() {
        return "every backend connected to database '" + credentials.database() + "' of '" + targetName
                + "' terminated (pg_terminate_backend), the harness's own excepted";
    }

    @Override
    public AppliedState prepare() {
        return PostgresSessions.state(endpoint, credentials, faultName, "none");
    }

    @Override
    public void apply(AppliedState injection) throws SQLException {
        List<Integer> pids;
        try (Connection connection = PostgresSessions.open(injection);
             PreparedStatement terminate = connection.prepareStatement(PostgresSessions.terminating(
                     "datname = current_database() AND backend_type = 'client backend'"
                             + " AND coalesce(application_name, '') NOT LIKE 'gameday-%' AND "
                             + PostgresSessions.MAY_TERMINATE))) {
            pids = PostgresSessions.pids(terminate);
        }
        if (pids.isEmpty()) {
            throw new IllegalStateException("no backend other than the harness's was connected to database '"
                    + credentials.database() + "' at " + PostgresSessions.where(injection) + ", so there was nothing"
                    + " to terminate; expected the application's connections. Start the application (and its load)"
                    + " before this fault, or check the target's database.");
        }
        terminated.put(injection.value("id"), List.copyOf(pids));
    }

    /** Nothing to undo: apply leaves nothing behind. */
    @Override
    public void revert(AppliedState injection) {
        terminated.remove(injection.value("id"));
    }

    /**
     * Happened when the backends apply terminated are all gone from {@code pg_stat_activity}; before apply, not in
     * effect, with the backends there are as evidence.
     */
    @Override
    public Observation observe(AppliedState injection) throws SQLException {
        List<Integer> pids = terminated.get(injection.value("id"));
        try (Connection connection = PostgresSessions.open(injection)) {
            if (pids == null) {
                try (PreparedStatement others = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND backend_type = 'client backend'"
                        + " AND pid <> pg_backend_pid() AND coalesce(application_name, '') NOT LIKE 'gameday-%'"
                        + " ORDER BY pid")) {
                    return Observation.notInEffect("no backend terminated yet; pg_stat_activity shows the backends "
                            + PostgresSessions.pids(others) + " connected to database '" + credentials.database()
                            + "'");
                }
            }
            List<Integer> remaining;
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT pid FROM pg_stat_activity WHERE pid = ANY (?) ORDER BY pid")) {
                Array array = connection.createArrayOf("int4", pids.toArray());
                query.setArray(1, array);
                remaining = PostgresSessions.pids(query);
            }
            String evidence = "pg_terminate_backend ended " + pids.size() + " backend(s) of database '"
                    + credentials.database() + "' (pids " + pids + "); pg_stat_activity still shows "
                    + (remaining.isEmpty() ? "none of them" : remaining);
            return remaining.isEmpty() ? Observation.inEffect(evidence) : Observation.inconclusive(evidence);
        }
    }

    @Override
    public Duration observationTime() {
        return Duration.ofSeconds(1);
    }
}
