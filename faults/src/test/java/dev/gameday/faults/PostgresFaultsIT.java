package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.internal.PostgresSlowQueries;
import dev.gameday.faults.internal.PostgresTableLock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL faults against a real PostgreSQL 15 with the demo system's {@code orders} table. Effects are checked as
 * the application sees them (its connections, its queries) and from the server's own views ({@code pg_stat_activity},
 * {@code pg_locks}, {@code pg_trigger}, its process titles); restores by reading the same state back.
 */
class PostgresFaultsIT {

    private static final int MAX_CONNECTIONS = 20;
    private static final String APPLICATION = "demo-trading-system";
    private static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer(Images.POSTGRES)
            .withDatabaseName("trading").withUsername("trading").withPassword("trading-secret")
            .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=" + MAX_CONNECTIONS);

    private static Target postgres;
    private static ExecutorService threads;

    @TempDir
    Path journalDirectory;
    private FaultJournal journal;
    private final List<Connection> application = new ArrayList<>();

    @BeforeAll
    static void start() throws SQLException {
        POSTGRES.start();
        threads = Executors.newCachedThreadPool();
        postgres = new Target("postgres", Protocol.POSTGRES,
                new Endpoint(POSTGRES.getHost(), POSTGRES.getMappedPort(5432)), Optional.empty(),
                Optional.of(POSTGRES.getContainerId()))
                .withCredentials(new Credentials("trading", "trading-secret", "trading"));
        try (Connection connection = connect("it-setup"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id uuid PRIMARY KEY, account text NOT NULL, symbol text NOT NULL,"
                    + " side text NOT NULL, quantity numeric NOT NULL, price numeric NOT NULL, status text NOT NULL,"
                    + " exchange_order_id text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
            statement.execute("CREATE ROLE harness LOGIN PASSWORD 'harness-secret'"
                    + " IN ROLE pg_signal_backend, pg_read_all_stats");
            statement.execute("CREATE ROLE app LOGIN PASSWORD 'app-secret'");
            statement.execute("INSERT INTO orders VALUES (gen_random_uuid(), 'acc-1', 'ACME', 'BUY', 10, 12.5,"
                    + " 'ROUTED', 'x-1', now(), now())");
        }
    }

    @AfterAll
    static void stop() {
        if (threads != null) {
            threads.shutdownNow();
        }
        POSTGRES.stop();
    }

    @BeforeEach
    void applicationConnected() throws SQLException, InterruptedException {
        journal = FaultJournal.at(journalDirectory);
        for (int i = 0; i < 3; i++) {
            application.add(connect(APPLICATION));
        }
        assertThat(gamedayConnections()).as("precondition: no connection of the harness is left").isZero();
    }

    @AfterEach
    void closeApplication() {
        application.forEach(PostgresFaultsIT::closeQuietly);
        application.clear();
    }

    @Test
    void holdingConnectionsStarvesTheApplicationUntilReverted() throws Exception {
        Evidence evidence = new Evidence();
        Fault fault = PostgresFaults.holdConnections(postgres).journaledIn(journal);

        try (ActiveFault active = fault.inject(evidence)) {
            assertThat(active.state()).isEqualTo(FaultState.ACTIVE);
            assertThat(evidence.active).contains("was refused").contains("holding the slots");
            // as the application sees it: its idle connections were terminated, and it cannot get new ones
            for (Connection connection : application) {
                assertThatThrownBy(() -> query(connection, "SELECT 1")).isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> connect(APPLICATION)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"));
            // the server's own view, from inside its container (no slot is left to ask it in SQL): every slot but
            // the fault's observer is held idle in a transaction
            assertThat(backendProcesses("idle in transaction")).as("backends idle in transaction, by process title")
                    .isEqualTo(MAX_CONNECTIONS - 1);
        }

        assertThat(evidence.restored).contains("was accepted").contains("shows 0 other connection(s)");
        assertThat(gamedayConnections()).as("every held connection is closed").isZero();
        assertThat(backendProcesses("idle in transaction")).isZero();
        try (Connection reconnected = connect(APPLICATION)) {
            assertThat(query(reconnected, "SELECT count(*) FROM orders")).isEqualTo(1);
        }
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void holdingConnectionsStarvesARealConnectionPool() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRES.getJdbcUrl());
        config.setUsername("trading");
        config.setPassword("trading-secret");
        config.addDataSourceProperty("ApplicationName", "demo-pool");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(4);
        config.setConnectionTimeout(1_000);
        config.setInitializationFailTimeout(10_000);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            await("the pool has its 4 connections").atMost(Duration.ofSeconds(20))
                    .until(() -> pool.getHikariPoolMXBean().getTotalConnections() == 4);
            try (Connection borrowed = pool.getConnection()) {
                assertThat(query(borrowed, "SELECT count(*) FROM orders")).isEqualTo(1);
            }

            try (ActiveFault active = PostgresFaults.holdConnections(postgres).journaledIn(journal).inject()) {
                assertThat(active.state()).isEqualTo(FaultState.ACTIVE);
                // the pool's idle connections were terminated; whatever it borrows now fails, and it cannot refill
                await("the pool has no working connection").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            try (Connection borrowed = pool.getConnection()) {
                                query(borrowed, "SELECT 1");
                                return false;
                            } catch (SQLException starved) {
                                return pool.getHikariPoolMXBean().getTotalConnections() == 0;
                            }
                        });
                assertThatThrownBy(pool::getConnection).as("the pool times out waiting for a connection")
                        .isInstanceOf(SQLException.class);
                System.out.println("[evidence] pool during hold-connections: total "
                        + pool.getHikariPoolMXBean().getTotalConnections() + ", threads awaiting "
                        + pool.getHikariPoolMXBean().getThreadsAwaitingConnection());
            }

            await("the pool serves again").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> {
                        try (Connection borrowed = pool.getConnection()) {
                            return query(borrowed, "SELECT count(*) FROM orders") == 1;
                        }
                    });
        }
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void asAnOrdinaryUserItHoldsEverySlotButTheSuperusersReservedOnes() throws Exception {
        closeApplication();
        for (int i = 0; i < 3; i++) {
            application.add(connect(APPLICATION, "app", "app-secret"));
        }
        Target asOrdinaryUser = postgres.withCredentials(new Credentials("harness", "harness-secret", "trading"));
        Evidence evidence = new Evidence();

        Fault fault = PostgresFaults.holdConnections(asOrdinaryUser).journaledIn(journal);
        try (ActiveFault active = fault.inject(evidence)) {
            assertThat(evidence.active).contains("remaining connection slots are reserved");
            // the application, an ordinary user too, is starved: its connections are gone and it cannot reconnect
            for (Connection connection : application) {
                assertThatThrownBy(() -> query(connection, "SELECT 1")).isInstanceOf(SQLException.class);
            }
            assertThatThrownBy(() -> connect(APPLICATION, "app", "app-secret")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"));
            // a superuser still gets one of the reserved slots, and sees every other slot held by the harness
            String tag = active.appliedState().value("application-name");
            int reserved;
            try (Connection superuser = connect("it-observer")) {
                reserved = query(superuser, "SELECT current_setting('superuser_reserved_connections')::int");
                assertThat(query(superuser, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                        + active.appliedState().value("application-name") + "'"))
                        .isEqualTo(MAX_CONNECTIONS - reserved);
                assertThat(query(superuser, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'")).isZero();
                assertThat(text(superuser, "SELECT pg_terminate_backend((SELECT max(pid) FROM pg_stat_activity"
                        + " WHERE application_name = '" + tag + "'))")).as("one held connection ends").isEqualTo("t");
            }
            // with the superuser gone too, an ordinary slot is free, and the application's pool reconnects at once:
            // the fault takes the slot back, terminating the application's connection if it got there first
            Connection raced = null;
            try {
                raced = connect(APPLICATION, "app", "app-secret");
            } catch (SQLException refused) {
                // the fault was first
            }
            System.out.println("[evidence] after one held slot came free, the application's reconnect was "
                    + (raced == null ? "refused" : "accepted, then its connection was terminated"));
            await("the fault holds every ordinary slot again").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        try (Connection superuser = connect("it-observer")) {
                            return query(superuser, "SELECT count(*) FROM pg_stat_activity WHERE application_name"
                                    + " = '" + tag + "'") == MAX_CONNECTIONS - reserved
                                    && query(superuser, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'")
                                    == 0;
                        }
                    });
            if (raced != null) {
                Connection terminated = raced;
                assertThatThrownBy(() -> query(terminated, "SELECT 1")).isInstanceOf(SQLException.class);
                closeQuietly(raced);
            }
            assertThatThrownBy(() -> connect(APPLICATION, "app", "app-secret")).isInstanceOf(SQLException.class);
        }

        assertThat(gamedayConnections()).isZero();
        try (Connection reconnected = connect(APPLICATION, "app", "app-secret")) {
            assertThat(query(reconnected, "SELECT 1")).isEqualTo(1);
        }
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void aRunKilledWhileHoldingEverySlotLeavesNothingHeldAfterTheCleanup() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, PostgresHoldingChild.class.getName(), POSTGRES.getHost(),
                Integer.toString(POSTGRES.getMappedPort(5432)), "trading", "trading", "trading-secret",
                journalDirectory.toString())
                .redirectErrorStream(true).start();
        try {
            CompletableFuture<String> active = CompletableFuture.supplyAsync(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
                    String line;
                    StringBuilder seen = new StringBuilder();
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("ACTIVE ")) {
                            return line.substring("ACTIVE ".length());
                        }
                        seen.append(line).append('\n');
                    }
                    throw new IllegalStateException("the child ended without injecting:\n" + seen);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, threads);
            String tag = active.get(90, TimeUnit.SECONDS);
            assertThatThrownBy(() -> connect(APPLICATION)).as("every slot is held by the child")
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"));
            assertThat(journal.entries()).singleElement().satisfies(entry -> assertThat(entry.ownerAlive()).isTrue());

            child.destroyForcibly(); // SIGKILL: no revert, no shutdown hook
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> done = journal.cleanup();

            assertThat(done).singleElement().asString().startsWith("reverted 'postgres-hold-connections'")
                    .contains(tag);
            System.out.println("[evidence] cleanup after kill -9: " + done.get(0));
            assertThat(journal.entries()).isEmpty();
            assertThat(gamedayConnections()).isZero();
            try (Connection reconnected = connect(APPLICATION)) {
                assertThat(query(reconnected, "SELECT count(*) FROM orders")).isEqualTo(1);
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aLockedTableMakesQueriesWaitUntilReverted() throws Exception {
        Evidence evidence = new Evidence();
        Fault fault = PostgresFaults.lockTable(postgres, "orders").journaledIn(journal);
        assertThat(fault.name()).isEqualTo("postgres-lock-orders");
        Connection client = application.get(0);

        Future<Integer> waiting;
        try (ActiveFault active = fault.inject(evidence)) {
            assertThat(active.state()).isEqualTo(FaultState.ACTIVE);
            assertThat(evidence.active).contains("lock timeout").contains("AccessExclusiveLock granted");
            int clientPid = query(client, "SELECT pg_backend_pid()");
            // as the application sees it: its query on the table does not answer
            waiting = threads.submit(() -> query(client, "SELECT count(*) FROM orders"));
            // the server's view: that query waits for a lock that our connection holds
            try (Connection observer = connect("it-observer")) {
                await("the client's query waits for a lock").atMost(Duration.ofSeconds(10))
                        .until(() -> "Lock".equals(text(observer, "SELECT coalesce(wait_event_type, '') FROM"
                                + " pg_stat_activity WHERE pid = " + clientPid)));
                assertThat(query(observer, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                        + " WHERE l.relation = 'orders'::regclass AND l.mode = 'AccessExclusiveLock' AND l.granted"
                        + " AND a.application_name LIKE 'gameday-postgres-lock-orders-%'")).isEqualTo(1);
            }
            assertThat(waiting).isNotDone();
        }

        assertThat(waiting.get(10, TimeUnit.SECONDS)).as("the waiting query answers once the lock is released")
                .isEqualTo(1);
        assertThat(evidence.restored).contains("answered").contains("no AccessExclusiveLock");
        try (Connection observer = connect("it-observer")) {
            assertThat(query(observer, "SELECT count(*) FROM pg_locks WHERE relation = 'orders'::regclass"
                    + " AND pid <> pg_backend_pid()")).isZero();
        }
        assertThat(gamedayConnections()).isZero();
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void slowQueriesDelayEveryWriteUntilReverted() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        Evidence evidence = new Evidence();
        Fault fault = PostgresFaults.slowQueries(postgres, "orders", delay).journaledIn(journal);
        List<String> triggersBefore = triggersAndFunctions();
        Connection client = application.get(0);

        Future<Long> insert;
        try (ActiveFault active = fault.inject(evidence)) {
            assertThat(active.state()).isEqualTo(FaultState.ACTIVE);
            assertThat(evidence.active).contains("shows trigger gameday_slow_");
            assertThat(triggersAndFunctions()).hasSize(triggersBefore.size() + 2);
            int clientPid = query(client, "SELECT pg_backend_pid()");
            // as the application sees it: inserting an order takes the delay
            insert = threads.submit(() -> timedInsert(client));
            // the server's view: that insert sleeps in pg_sleep
            try (Connection observer = connect("it-observer")) {
                await("the client's insert sleeps in pg_sleep").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> text(observer, "SELECT coalesce(wait_event, '') FROM pg_stat_activity"
                                + " WHERE pid = " + clientPid).equals("PgSleep"));
            }
            assertThat(insert.get(30, TimeUnit.SECONDS)).as("the insert took at least the delay")
                    .isGreaterThanOrEqualTo(delay.toNanos());
        }

        assertThat(triggersAndFunctions()).as("trigger and function dropped").isEqualTo(triggersBefore);
        assertThat(evidence.restored).contains("has no trigger").contains("has no function");
        assertThat(timedInsert(client)).as("an insert is no longer delayed").isLessThan(delay.toNanos());
        assertThat(query(client, "SELECT count(*) FROM orders")).as("the probes changed no data").isEqualTo(1);
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void terminatingBackendsDropsTheApplicationsConnectionsButNotTheHarnesss() throws Exception {
        List<Integer> before = new ArrayList<>();
        for (Connection connection : application) {
            before.add(query(connection, "SELECT pg_backend_pid()"));
        }
        Evidence evidence = new Evidence();
        Fault fault = PostgresFaults.terminateBackends(postgres).journaledIn(journal);
        assertThat(fault.isEvent()).isTrue();

        try (Connection otherFault = connect("gameday-postgres-lock-orders-bystander")) {
            try (ActiveFault active = fault.inject(evidence)) {
                assertThat(active.isEvent()).isTrue();
            }
            assertThat(evidence.active).contains("pg_terminate_backend ended").contains("still shows none of them");
            before.forEach(pid -> assertThat(evidence.active).contains(pid.toString()));
            for (Connection connection : application) {
                assertThatThrownBy(() -> query(connection, "SELECT 1")).isInstanceOf(SQLException.class);
            }
            assertThat(query(otherFault, "SELECT 1")).as("another fault's connection is left alone").isEqualTo(1);
            try (Connection observer = connect("it-observer")) {
                for (int pid : before) {
                    assertThat(query(observer, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)).isZero();
                }
            }
        }
        // the application can reconnect: nothing stays applied
        try (Connection reconnected = connect(APPLICATION)) {
            assertThat(query(reconnected, "SELECT count(*) FROM orders")).isEqualTo(1);
        }
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void terminatingBackendsRefusesWhenNoApplicationIsConnected() {
        closeApplication();
        assertThatThrownBy(() -> PostgresFaults.terminateBackends(postgres).journaledIn(journal).inject())
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("nothing to terminate");
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void theCleanupReleasesALockAKilledRunLeftHeld() throws Exception {
        PostgresTableLock lock = new PostgresTableLock("postgres", postgres.endpoint(),
                postgres.credentials().orElseThrow(), "orders", "postgres-lock-orders");
        AppliedState state = lock.prepare();
        lock.apply(state); // held by a connection of this JVM, as if its owner had been lost
        writeEntryOfDeadOwner("postgres-lock-orders", state);
        Future<Integer> waiting = threads.submit(() -> query(application.get(0), "SELECT count(*) FROM orders"));
        assertThat(lock.observe(state).effect()).isEqualTo(Disruption.Observation.Effect.IN_EFFECT);

        List<String> done = journal.cleanup();

        assertThat(done).singleElement().asString().startsWith("reverted 'postgres-lock-orders'")
                .contains("terminated 1 connection(s) tagged '" + state.value("application-name") + "'");
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(lock.observe(state).effect()).isEqualTo(Disruption.Observation.Effect.NOT_IN_EFFECT);
        assertThat(journal.entries()).isEmpty();
        lock.revert(state); // closes this JVM's already terminated connection
    }

    @Test
    void theCleanupDropsATriggerAKilledRunLeftBehind() throws Exception {
        List<String> triggersBefore = triggersAndFunctions();
        PostgresSlowQueries slow = new PostgresSlowQueries("postgres", postgres.endpoint(),
                postgres.credentials().orElseThrow(), "orders", Duration.ofMillis(800), "postgres-slow-orders");
        AppliedState state = slow.prepare();
        slow.apply(state);
        writeEntryOfDeadOwner("postgres-slow-orders", state);
        assertThat(slow.observe(state).effect()).isEqualTo(Disruption.Observation.Effect.IN_EFFECT);

        List<String> done = journal.cleanup();

        assertThat(done).singleElement().asString().startsWith("reverted 'postgres-slow-orders'")
                .contains("trigger " + state.value("trigger") + " and function");
        assertThat(triggersAndFunctions()).isEqualTo(triggersBefore);
        assertThat(slow.observe(state).effect()).isEqualTo(Disruption.Observation.Effect.NOT_IN_EFFECT);
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void refusesAnUnknownTableBeforeChangingAnything() {
        assertThatThrownBy(() -> PostgresFaults.slowQueries(postgres, "no_such_table", Duration.ofMillis(200))
                .journaledIn(journal).inject())
                .isInstanceOf(FaultException.class)
                .hasMessageContaining("Table 'no_such_table' was not found in database 'trading'")
                .hasMessageContaining("Nothing was applied");
        assertThat(journal.entries()).isEmpty();
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** What the fault told its listener, and when: inject-to-verified-effect and revert-to-verified-restore. */
    private static final class Evidence implements FaultListener {
        volatile String active = "";
        volatile String restored = "";
        private volatile long injecting;
        private volatile long injectedNanos;
        private volatile long restoring;

        @Override
        public void injecting(String fault, String description) {
            injecting = System.nanoTime();
        }

        @Override
        public void active(String fault, String evidence) {
            injectedNanos = System.nanoTime() - injecting;
            active = evidence;
            System.out.println("[evidence] " + fault + " active: " + evidence);
        }

        @Override
        public void restoring(String fault) {
            restoring = System.nanoTime();
        }

        @Override
        public void restored(String fault, String evidence) {
            long restoredNanos = System.nanoTime() - restoring;
            restored = evidence;
            System.out.println("[evidence] " + fault + " restored: " + evidence);
            System.out.printf("[measure] %s: inject-to-verified-effect %d ms, revert-to-verified-restore %d ms%n",
                    fault, injectedNanos / 1_000_000, restoredNanos / 1_000_000);
        }
    }

    /** A journal entry as a killed run leaves it: its owner, a process that has ended. */
    private void writeEntryOfDeadOwner(String fault, AppliedState state) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        Properties entry = new Properties();
        entry.setProperty("fault", fault);
        entry.setProperty("description", "left by a killed run");
        entry.setProperty("owner.pid", Long.toString(finished.pid()));
        entry.setProperty("recorded", Instant.now().toString());
        entry.setProperty("backend", state.backend());
        state.values().forEach((key, value) -> entry.setProperty("value." + key, value));
        Files.createDirectories(journalDirectory);
        try (OutputStream out = Files.newOutputStream(journalDirectory.resolve(fault + "-killed.fault"))) {
            entry.store(out, null);
        }
        assertThat(journal.leftovers()).hasSize(1);
    }

    private static Connection connect(String applicationName) throws SQLException {
        return connect(applicationName, "trading", "trading-secret");
    }

    private static Connection connect(String applicationName, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(POSTGRES.getJdbcUrl(), properties);
    }

    private static int query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : "";
        }
    }

    /** Connections tagged as the harness's, once those just closed have ended (at most 10 s). */
    private static int gamedayConnections() throws SQLException, InterruptedException {
        try (Connection observer = connect("it-observer")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int count;
            while ((count = query(observer, "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name LIKE 'gameday-%'")) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            return count;
        }
    }

    /** Our own triggers and functions, as the catalogue lists them. */
    private static List<String> triggersAndFunctions() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection observer = connect("it-observer"); Statement statement = observer.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 'trigger ' || tgname FROM pg_trigger"
                     + " WHERE tgrelid = 'orders'::regclass AND NOT tgisinternal UNION ALL"
                     + " SELECT 'function ' || proname FROM pg_proc WHERE proname LIKE 'gameday%' ORDER BY 1")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** Inserts an order in a transaction rolled back; returns how long the insert took. */
    private static long timedInsert(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders VALUES (gen_random_uuid(),"
                + " 'acc-2', 'ACME', 'SELL', 1, 13, 'NEW', NULL, now(), now())")) {
            long start = System.nanoTime();
            insert.executeUpdate();
            return System.nanoTime() - start;
        } finally {
            connection.rollback();
            connection.setAutoCommit(true);
        }
    }

    /** Backend processes of the server whose title (as {@code ps} shows it) contains {@code state}. */
    private static int backendProcesses(String state) throws IOException, InterruptedException {
        var result = POSTGRES.execInContainer("sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\000' ' ' < $f"
                + " 2>/dev/null; echo; done | grep -c '^postgres: trading trading .*" + state + "' || true");
        String[] lines = result.getStdout().trim().split("\\s+");
        return Integer.parseInt(lines[lines.length - 1]);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // terminated by a fault
        }
    }
}
