package dev.gameday.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gameday.demo.config.DatabaseConfig;
import dev.gameday.demo.config.DemoConfig;
import dev.gameday.demo.config.RiskConfig;
import dev.gameday.demo.database.Database;
import dev.gameday.demo.database.JdbcOrderStore;
import dev.gameday.demo.database.WriteBehindOrderStore;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.RiskCheck;
import dev.gameday.environments.images.Images;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;

/**
 * The flaws added for the catalogue's negative controls, each shown against the real dependencies it misuses (a
 * real PostgreSQL and Redis, a loopback exchange), next to the healthy behaviour it replaces.
 */
class DemoFlawsIT {

    private static final int POSTGRES_PORT = 5432;
    private static final int REDIS_PORT = 6379;
    private static final String DATABASE = "trading";
    private static final String USER = "trading";
    private static final String PASSWORD = "trading";
    private static final Duration CONTAINER_START = Duration.ofMinutes(2);
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private static GenericContainer<?> postgres;
    private static GenericContainer<?> redis;
    private static FakeExchange exchange;

    private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();

    @BeforeAll
    static void startDependencies() throws Exception {
        postgres = new GenericContainer<>(Images.POSTGRES)
                .withEnv("POSTGRES_DB", DATABASE)
                .withEnv("POSTGRES_USER", USER)
                .withEnv("POSTGRES_PASSWORD", PASSWORD)
                .withExposedPorts(POSTGRES_PORT)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(CONTAINER_START));
        redis = new GenericContainer<>(Images.REDIS)
                .withExposedPorts(REDIS_PORT)
                .waitingFor(Wait.forListeningPort().withStartupTimeout(CONTAINER_START));
        Startables.deepStart(postgres, redis).join();
        exchange = FakeExchange.start();
    }

    @AfterAll
    static void stopDependencies() {
        if (exchange != null) {
            exchange.close();
        }
        if (redis != null) {
            redis.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        Exception first = null;
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().close();
            } catch (Exception failed) {
                if (first == null) {
                    first = failed;
                } else {
                    first.addSuppressed(failed);
                }
            }
        }
        exchange.accept();
        if (first != null) {
            throw first;
        }
    }

    // --- cache-required (incident 3: Redis down) ---

    @Test
    void cacheRequiredFlawFailsOrdersWithRedisDownThatTheHealthyServiceAccepts() throws Exception {
        Map<String, String> redisDown = environment();
        redisDown.put("REDIS_PORT", String.valueOf(closedPort()));
        Api healthy = start(redisDown);
        Map<String, String> flawedEnv = new HashMap<>(redisDown);
        flawedEnv.put("DEMO_FLAWS", "cache-required");
        Api flawed = start(flawedEnv);

        Api.Reply accepted = healthy.placeOrder();
        Api.Reply refused = flawed.placeOrder();

        assertThat(accepted.status()).as("healthy service, Redis refusing connections: %s", accepted.body()).isEqualTo(201);
        assertThat(refused.status()).as("cache-required, Redis refusing connections: %s", refused.body()).isEqualTo(503);
        assertThat(refused.text("dependency")).isEqualTo("redis");
        assertThat(refused.text("message")).startsWith("could not cache the order in Redis: ");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(committedStatus(refused.text("orderId"))).as("the refused order, in PostgreSQL").isEqualTo("ROUTED");
    }

    @Test
    void cacheRequiredFlawChangesNothingWhileRedisAnswers() {
        Map<String, String> env = environment();
        env.put("DEMO_FLAWS", "cache-required");
        // With the flaw, a Redis write slower than REDIS_TIMEOUT fails the order; on a busy machine a cold client's
        // first writes can exceed the default 50ms, so this success path allows them far longer.
        env.put("REDIS_TIMEOUT", "5s");
        Api api = start(env);

        for (int order = 0; order < 5; order++) {
            assertThat(api.placeOrder().status()).as("order %d with Redis up", order).isEqualTo(201);
        }
    }

    // --- no-exchange-fallback (incident 6: exchange errors) ---

    @Test
    void noExchangeFallbackFlawAnswersBadGatewayForOrdersItCommitted() throws Exception {
        Map<String, String> env = environment();
        env.put("DEMO_FLAWS", "no-exchange-fallback");
        Api api = start(env);
        exchange.fail();

        for (int order = 0; order < 10; order++) {
            Api.Reply failed = api.placeOrder();

            assertThat(failed.status()).as("order %d while the exchange fails: %s", order, failed.body()).isEqualTo(502);
            assertThat(failed.text("dependency")).isEqualTo("exchange");
            assertThat(committedStatus(failed.text("orderId"))).as("the order the client was told failed")
                    .isEqualTo("PENDING_ROUTE");
        }
        exchange.accept();
        assertThat(api.placeOrder().status()).as("after the exchange recovered, breaker still open for 60 s")
                .isEqualTo(502);
    }

    // --- no-exchange-timeout (incident 6: exchange latency) ---

    @Test
    void noExchangeTimeoutFlawMakesOrdersWaitForASlowExchange() {
        Duration exchangeDelay = Duration.ofSeconds(3);
        Map<String, String> env = environment();
        env.put("EXCHANGE_TIMEOUT", "200ms");
        Api healthy = start(env);
        Map<String, String> flawedEnv = new HashMap<>(env);
        flawedEnv.put("DEMO_FLAWS", "no-exchange-timeout");
        Api flawed = start(flawedEnv);
        exchange.delay(exchangeDelay);

        Api.Reply bounded = healthy.placeOrder();
        Api.Reply waited = flawed.placeOrder();

        System.out.printf("exchange answering after %d ms: healthy order took %d ms (%s), no-exchange-timeout %d ms (%s)%n",
                exchangeDelay.toMillis(), bounded.took().toMillis(), bounded.text("status"), waited.took().toMillis(),
                waited.text("status"));
        assertThat(bounded.status()).isEqualTo(201);
        assertThat(bounded.text("status")).as("healthy: gave up on the exchange at its 200ms timeout").isEqualTo("PENDING_ROUTE");
        assertThat(waited.status()).isEqualTo(201);
        assertThat(waited.text("status")).as("flawed: waited for the exchange's answer").isEqualTo("ROUTED");
        assertThat(waited.took()).as("time to answer with the flaw").isGreaterThanOrEqualTo(exchangeDelay);
    }

    // --- no-database-timeout (incidents 4 and 8: partition, lock contention) ---

    @Test
    void noDatabaseTimeoutFlawHangsOnALockThatTheHealthyServiceGivesUpOnAtItsStatementTimeout() throws Exception {
        Map<String, String> env = environment();
        env.put("DATABASE_STATEMENT_TIMEOUT", "500ms");
        Api healthy = start(env);
        Map<String, String> flawedEnv = new HashMap<>(env);
        flawedEnv.put("DEMO_FLAWS", "no-database-timeout");
        Api flawed = start(flawedEnv);

        try (Connection locker = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD)) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            }

            Api.Reply gaveUp = healthy.get("/orders/" + UUID.randomUUID());
            assertThat(gaveUp.status()).as("healthy read while the table is locked: %s", gaveUp.body()).isEqualTo(503);
            assertThat(gaveUp.text("message")).startsWith("could not read the order: the statement did not finish within 500ms");

            CompletableFuture<HttpResponse<String>> hanging = flawed.getLater("/orders/" + UUID.randomUUID(),
                    Duration.ofSeconds(60));
            await("the flawed read waits on the lock in PostgreSQL").atMost(Duration.ofSeconds(10))
                    .until(() -> waitingOnLocks() == 1);
            Thread.sleep(3_000); // six times the healthy statement timeout
            assertThat(hanging).as("flawed read, 3 s after it started waiting on the lock").isNotDone();
            assertThat(waitingOnLocks()).as("statements still waiting on the lock").isEqualTo(1);

            locker.commit();
            assertThat(hanging.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode())
                    .as("the flawed read once the lock is released").isEqualTo(404);
        }
    }

    // --- leaking-pool (incident 7) on the catalogue's traffic: order placement during a database fault ---

    @Test
    void leakingPoolFlawStaysStarvedAfterALockThatTheHealthyServiceRecoversFrom() throws Exception {
        Map<String, String> env = environment();
        env.put("DATABASE_POOL_SIZE", "4");
        env.put("DATABASE_STATEMENT_TIMEOUT", "500ms");
        Api healthy = start(env);
        Map<String, String> flawedEnv = new HashMap<>(env);
        flawedEnv.put("DEMO_FLAWS", "leaking-pool");
        Api flawed = start(flawedEnv);

        try (Connection locker = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD)) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            }
            for (int order = 0; order < 4; order++) {
                assertThat(healthy.placeOrder().status()).as("healthy order %d during the lock", order).isEqualTo(503);
                assertThat(flawed.placeOrder().status()).as("flawed order %d during the lock", order).isEqualTo(503);
            }
            locker.commit();
        }

        assertThat(healthy.placeOrder().status()).as("healthy order after the lock was released").isEqualTo(201);
        Api.Reply starved = flawed.placeOrder();
        assertThat(starved.status()).as("flawed order after the lock was released: %s", starved.body()).isEqualTo(503);
        assertThat(starved.text("message")).contains("pool exhausted: all 4 connections in use");
    }

    // --- ack-before-commit (incident 1: OOM kill with acknowledged writes) ---

    @Test
    void ackBeforeCommitFlawAcknowledgesOrdersThatAKillBeforeTheNextBatchLoses() throws Exception {
        DatabaseConfig config = new DatabaseConfig(jdbcUrl(), USER, PASSWORD, 2, Duration.ofMillis(250), Duration.ofSeconds(2));
        Database database = Database.open(config, new SimpleMeterRegistry());
        cleanups.push(database);
        // The queue as the flawed service holds it, committed only when this test flushes it.
        WriteBehindOrderStore queue = new WriteBehindOrderStore(new JdbcOrderStore(database.dataSource(), config),
                database.dataSource(), new SimpleMeterRegistry(), Duration.ofHours(1));
        Order acknowledged = order();

        queue.insert(acknowledged);

        assertThat(queue.find(acknowledged.id())).as("the service reads its acknowledged order").isPresent();
        assertThat(committedStatus(acknowledged.id().toString())).as("the acknowledged order in PostgreSQL").isNull();
        // A process killed now takes the queue with it; what PostgreSQL holds is all a restarted service finds.
        assertThat(new JdbcOrderStore(database.dataSource(), config).find(acknowledged.id()))
                .as("the order as a restarted service finds it").isEmpty();

        assertThat(queue.flush()).isEqualTo(1);
        assertThat(committedStatus(acknowledged.id().toString())).as("after the batch that a kill would have prevented")
                .isEqualTo("PENDING_ROUTE");
    }

    @Test
    void ackBeforeCommitFlawStillCommitsEveryOrderWhenNothingKillsIt() {
        Map<String, String> env = environment();
        env.put("DEMO_FLAWS", "ack-before-commit");
        Api api = start(env);

        Api.Reply placed = api.placeOrder();

        assertThat(placed.status()).isEqualTo(201);
        await("the write-behind batch commits the acknowledged order").atMost(Duration.ofSeconds(10))
                .until(() -> "ROUTED".equals(committedStatus(placed.text("id"))));
    }

    // --- helpers ---

    private static Order order() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(new BigDecimal("1000000"))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("1.5"), new BigDecimal("65000.0")));
        return Order.accepted(UUID.randomUUID(), approved, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    private static String jdbcUrl() {
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(POSTGRES_PORT) + "/" + DATABASE;
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", "0");
        env.put("DATABASE_URL", jdbcUrl());
        env.put("DATABASE_USER", USER);
        env.put("DATABASE_PASSWORD", PASSWORD);
        env.put("REDIS_HOST", redis.getHost());
        env.put("REDIS_PORT", String.valueOf(redis.getMappedPort(REDIS_PORT)));
        env.put("EXCHANGE_URL", exchange.uri().toString());
        return env;
    }

    private Api start(Map<String, String> environment) {
        TradingServer system = TradingServer.start(DemoConfig.fromEnvironment(environment));
        cleanups.push(system);
        Api api = new Api(system.uri());
        await("demo trading system ready").atMost(READY_WITHIN).until(() -> api.get("/health/ready").status() == 200);
        return api;
    }

    private static String committedStatus(String id) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
             PreparedStatement select = connection.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Statements of the demo service waiting on a lock, as PostgreSQL sees them. */
    private static int waitingOnLocks() throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
             Statement select = connection.createStatement();
             ResultSet row = select.executeQuery("SELECT count(*) FROM pg_stat_activity"
                     + " WHERE application_name = 'demo-trading-system' AND wait_event_type = 'Lock'")) {
            row.next();
            return row.getInt(1);
        }
    }
}
