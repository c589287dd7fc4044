package dev.gameday.faults;

import dev.gameday.environments.Capability;
import dev.gameday.environments.Credentials;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.PostgresHoldConnections;
import dev.gameday.faults.internal.PostgresSessions;
import dev.gameday.faults.internal.PostgresSlowQueries;
import dev.gameday.faults.internal.PostgresTableLock;
import dev.gameday.faults.internal.PostgresTerminateBackends;
import java.time.Duration;
import java.util.Objects;

/**
 * Faults inside PostgreSQL, caused in its own protocol: the harness logs in to the target's own endpoint (bypassing
 * any proxy) with the target's {@link Credentials}, and tags every connection it opens with
 * {@code application_name = gameday-<fault>-<id>}, so that {@code pg_stat_activity} shows them and a later
 * {@code gameday cleanup} can terminate them. Each is verified from the server's own views ({@code pg_stat_activity},
 * {@code pg_locks}, {@code pg_trigger}) and by a real client request.
 *
 * <pre>{@code
 * Target postgres = environment.target("postgres").withCredentials(new Credentials("trading", "secret", "trading"));
 * Fault starved = PostgresFaults.holdConnections(postgres);                        // postgres-hold-connections
 * Fault locked  = PostgresFaults.lockTable(postgres, "orders");                    // postgres-lock-orders
 * Fault slow    = PostgresFaults.slowQueries(postgres, "orders", Duration.ofMillis(800)); // postgres-slow-orders
 * Fault dropped = PostgresFaults.terminateBackends(postgres);                      // postgres-terminate-backends
 * try (ActiveFault active = locked.inject()) {
 *     // every query on orders waits until the block ends
 * }
 * }</pre>
 *
 * <p>The target needs {@link Capability#DATASTORE}: protocol {@link Protocol#POSTGRES} and credentials. Table names are
 * lower-case identifiers ({@code [a-z_][a-z0-9_]*}), found through the user's {@code search_path}.
 */
public final class PostgresFaults {

    /** The longest delay {@link #slowQueries} takes: longer ones outlast the probes' read timeouts. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(60);

    private PostgresFaults() {
    }

    /**
     * The application's connection pool starves: the harness opens connections until the server refuses one and keeps
     * them idle in a transaction, then terminates the application's idle connections to the target database, so that
     * its pool must reconnect and cannot. Reverted by closing them. Named {@code <target>-hold-connections}.
     *
     * <p>Logging in as a superuser, the harness holds every slot, {@code superuser_reserved_connections} included; as
     * an ordinary user, every slot but those, which starves an application that logs in as an ordinary user; that user
     * needs {@code pg_read_all_stats} to see which of the application's connections are idle and
     * {@code pg_signal_backend} to terminate them (otherwise they are left, and only new ones are refused). Should
     * the harness be killed meanwhile, its connections end with its process; {@code gameday cleanup} terminates any
     * that linger once it can log in again.
     */
    public static Fault holdConnections(Target target) {
        String name = target.name() + "-hold-connections";
        Credentials credentials = requirePostgres(target, name);
        return Fault.of(name, new PostgresHoldConnections(target.name(), target.endpoint(), credentials, name))
                .meteredThrough(target);
    }

    /**
     * Every query on the table waits: {@code LOCK TABLE <table> IN ACCESS EXCLUSIVE MODE} in a transaction held until
     * the fault is reverted (rolled back). Named {@code <target>-lock-<table>}, underscores as dashes.
     */
    public static Fault lockTable(Target target, String table) {
        String name = target.name() + "-lock-" + tableInName(table, target.name() + "-lock");
        Credentials credentials = requirePostgres(target, name);
        return Fault.of(name, new PostgresTableLock(target.name(), target.endpoint(), credentials, table, name))
                .meteredThrough(target);
    }

    /**
     * Every statement that writes to the table (INSERT, UPDATE, DELETE) takes {@code delay} longer, through a
     * statement-level trigger running {@code pg_sleep}; reads are not slowed. Reverted by dropping the trigger and its
     * function. Named {@code <target>-slow-<table>}, underscores as dashes. Needs the table's owner (or the TRIGGER
     * privilege) and CREATE on its schema.
     */
    public static Fault slowQueries(Target target, String table, Duration delay) {
        String name = target.name() + "-slow-" + tableInName(table, target.name() + "-slow");
        Objects.requireNonNull(delay, "delay");
        if (delay.compareTo(Duration.ofMillis(10)) < 0 || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException("Fault '" + name + "': the delay must be between 10 ms and "
                    + MAX_DELAY.toSeconds() + " s, but was " + delay + ". Use PostgresFaults.slowQueries(target, \""
                    + table + "\", Duration.ofMillis(500)).");
        }
        Credentials credentials = requirePostgres(target, name);
        return Fault.of(name, new PostgresSlowQueries(target.name(), target.endpoint(), credentials, table, delay,
                name)).meteredThrough(target);
    }

    /**
     * An event: every backend connected to the target database is terminated ({@code pg_terminate_backend}), the
     * harness's own excepted; the application's connections fail and it must reconnect. Fails to inject when no
     * backend but the harness's is connected, as it would then prove nothing. Named
     * {@code <target>-terminate-backends}.
     * Needs a superuser, or an ordinary user in {@code pg_signal_backend} and {@code pg_read_all_stats} (which
     * cannot terminate a superuser's backends).
     */
    public static Fault terminateBackends(Target target) {
        String name = target.name() + "-terminate-backends";
        Credentials credentials = requirePostgres(target, name);
        return Fault.of(name, new PostgresTerminateBackends(target.name(), target.endpoint(), credentials, name))
                .meteredThrough(target);
    }

    private static Credentials requirePostgres(Target target, String name) {
        target.require(Capability.DATASTORE, "fault '" + name + "'");
        if (target.protocol() != Protocol.POSTGRES) {
            throw new IllegalArgumentException("Fault '" + name + "' needs a PostgreSQL target (protocol POSTGRES), but"
                    + " target '" + target.name() + "' speaks " + target.protocol() + ". Use it on the PostgreSQL"
                    + " target, or use the faults of its own datastore.");
        }
        Credentials credentials = target.credentials().orElseThrow();
        if (credentials.user().isEmpty() || credentials.database().isEmpty()) {
            throw new IllegalArgumentException("Fault '" + name + "' logs in to PostgreSQL target '" + target.name()
                    + "', so its credentials need a user and a database, but they were " + credentials + ". Give them"
                    + " with Target.withCredentials(new Credentials(user, password, database)), or 'credentials' in"
                    + " the experiment file.");
        }
        return credentials;
    }

    /** The table checked as an identifier, with underscores as dashes for the fault's name. */
    private static String tableInName(String table, String faultName) {
        return PostgresSessions.requireIdentifier(table, faultName + "-<table>").replace('_', '-')
                .replaceAll("^-+", "");
    }
}
