package dev.gameday.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.gameday.demo.config.DemoConfig;
import dev.gameday.environments.images.Images;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.Jedis;

/**
 * The demo trading system in-process against real PostgreSQL and Redis containers and a fake exchange: the healthy
 * service rides out each failure, and each flaw reproduces its incident.
 */
class DemoTradingSystemIT {

    // Official names: gameday-environments' image substitutor runs the locally built images where they exist.
    private static final DockerImageName POSTGRES_IMAGE = Images.POSTGRES;
    private static final DockerImageName REDIS_IMAGE = Images.REDIS;
    private static final DockerImageName TOXIPROXY_IMAGE = Images.TOXIPROXY;
    private static final int PROXY_PORT = 8666;
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
        postgres = postgres();
        redis = new GenericContainer<>(REDIS_IMAGE)
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

    @Test
    void placesOrderAndReadsItFromTheCacheAfterAMiss() throws Exception {
        Api api = start(environment(postgres));

        Api.Reply placed = api.placeOrder();

        assertThat(placed.status()).as("status of POST /orders: %s", placed.body()).isEqualTo(201);
        String id = placed.text("id");
        assertThat(placed.header("Location")).isEqualTo("/orders/" + id);
        assertThat(placed.text("status")).isEqualTo("ROUTED");
        assertThat(placed.text("exchangeOrderId")).startsWith("EX-");
        assertThat(committedStatus(id)).as("status committed in PostgreSQL when 201 was sent").isEqualTo("ROUTED");

        Api.Reply cached = api.get("/orders/" + id);
        assertThat(cached.header("X-Cache")).as("read right after placing, which cached the order").isEqualTo("HIT");
        assertThat(cached.body()).isEqualTo(placed.body());

        try (Jedis jedis = new Jedis(redis.getHost(), redis.getMappedPort(REDIS_PORT))) {
            jedis.del("order:" + id);
        }
        Api.Reply miss = api.get("/orders/" + id);
        Api.Reply hit = api.get("/orders/" + id);

        assertThat(miss.status()).isEqualTo(200);
        assertThat(miss.header("X-Cache")).as("read after the cache entry expired").isEqualTo("MISS");
        assertThat(miss.body()).as("order read from PostgreSQL").isEqualTo(placed.body());
        assertThat(hit.header("X-Cache")).as("read after the miss cached the order again").isEqualTo("HIT");
    }

    @Test
    void answersUnknownAndMalformedRequestsWithTheFieldAtFault() {
        Api api = start(environment(postgres));

        Api.Reply unknown = api.get("/orders/" + UUID.randomUUID());
        Api.Reply malformedId = api.get("/orders/not-a-uuid");
        Api.Reply tooLarge = api.post("/orders",
                "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":100,\"price\":65000}");
        Api.Reply missingPrice = api.post("/orders", "{\"account\":\"ACC-1\",\"symbol\":\"BTC-USD\",\"side\":\"BUY\",\"quantity\":1}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(malformedId.status()).isEqualTo(400);
        assertThat(malformedId.text("field")).isEqualTo("id");
        assertThat(tooLarge.status()).isEqualTo(422);
        assertThat(tooLarge.text("field")).isEqualTo("quantity");
        assertThat(tooLarge.text("message")).startsWith("notional (quantity × price) must be at most 1000000, but was 6500000");
        assertThat(missingPrice.status()).isEqualTo(400);
        assertThat(missingPrice.text("field")).isEqualTo("price");
    }

    @Test
    void acceptsOrdersAsPendingWhileTheExchangeFailsAndRoutesAgainAfterRecovery() {
        Map<String, String> env = environment(postgres);
        env.put("EXCHANGE_BREAKER_OPEN_DURATION", "1s");
        Api api = start(env);
        exchange.fail();

        List<Api.Reply> duringOutage = new ArrayList<>();
        for (int order = 0; order < 10; order++) {
            duringOutage.add(api.placeOrder());
        }

        assertThat(duringOutage).as("orders placed while the exchange fails").allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.text("status")).isEqualTo("PENDING_ROUTE");
        });
        // Readiness is cached for a second, so its view of the breaker may lag a little.
        await("readiness shows the exchange breaker open").atMost(Duration.ofSeconds(3))
                .until(() -> "OPEN".equals(dependency(api.get("/health/ready"), "exchange").path("state").asText()));
        assertThat(api.get("/health/ready").status()).as("readiness while only the exchange is down").isEqualTo(200);

        exchange.accept();
        await("orders routed again after the exchange recovered").atMost(Duration.ofSeconds(10))
                .until(() -> "ROUTED".equals(api.placeOrder().text("status")));
    }

    @Test
    void breakerNeverHalfOpensFlawKeepsOrdersPendingLongAfterTheExchangeRecovered() {
        Map<String, String> env = environment(postgres);
        env.put("EXCHANGE_BREAKER_OPEN_DURATION", "1s");
        env.put("DEMO_FLAWS", "breaker-never-half-opens");
        Api api = start(env);
        exchange.fail();
        for (int order = 0; order < 10; order++) {
            api.placeOrder();
        }

        exchange.accept();
        int callsAfterRecovery = exchange.calls();

        await("orders still PENDING_ROUTE well past the 1s recovery timeout").during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(6))
                .until(() -> "PENDING_ROUTE".equals(api.placeOrder().text("status")));
        assertThat(exchange.calls()).as("calls that reached the healthy exchange").isEqualTo(callsAfterRecovery);
    }

    @Test
    void bypassesTheCacheWhileRedisIsFrozenAndUsesItAgainAfterwards() {
        Map<String, String> env = environment(postgres);
        env.put("REDIS_BREAKER_OPEN_DURATION", "1s");
        Api api = start(env);
        String id = api.placeOrder().text("id");

        pause(redis);
        await("reads bypass the cache once the redis breaker opens").atMost(Duration.ofSeconds(10))
                .until(() -> "BYPASS".equals(api.get("/orders/" + id).header("X-Cache")));

        List<Api.Reply> duringOutage = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            duringOutage.add(api.placeOrder());
            duringOutage.add(api.get("/orders/" + id));
        }
        assertThat(duringOutage).as("requests while Redis is frozen").allSatisfy(reply -> {
            assertThat(reply.status()).isIn(200, 201);
            assertThat(reply.took()).as("latency of one request while Redis is frozen").isLessThan(Duration.ofSeconds(1));
        });
        assertThat(duringOutage.stream().map(Api.Reply::took).sorted().toList().get(duringOutage.size() / 2))
                .as("median latency while Redis is frozen").isLessThan(Duration.ofMillis(100));
        Api.Reply ready = api.get("/health/ready");
        assertThat(ready.status()).as("readiness while only Redis is down: %s", ready.body()).isEqualTo(200);
        assertThat(dependency(ready, "redis").path("state").asText()).isIn("BYPASSED", "DOWN");

        unpause(redis);
        await("cache used again after Redis recovered").atMost(Duration.ofSeconds(15)).until(() -> {
            String fresh = api.placeOrder().text("id");
            return "HIT".equals(api.get("/orders/" + fresh).header("X-Cache"));
        });
    }

    @Test
    void noRedisTimeoutFlawExhaustsTheThreadPoolWhileRedisIsFrozen() {
        Map<String, String> env = environment(postgres);
        env.put("DEMO_FLAWS", "no-redis-timeout");
        env.put("HTTP_MAX_THREADS", "16");
        Api api = start(env);
        String id = api.placeOrder().text("id");
        assertThat(api.get("/health/live").body()).isEqualTo("{\"status\":\"UP\",\"flaws\":[\"no-redis-timeout\"]}");

        pause(redis);
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
        for (int read = 0; read < 40; read++) {
            reads.add(api.getLater("/orders/" + id, Duration.ofMinutes(2)));
        }

        await("reads stay unanswered while Redis is frozen").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> reads.stream().noneMatch(CompletableFuture::isDone));
        CompletableFuture<HttpResponse<String>> live = api.getLater("/health/live", Duration.ofSeconds(2));
        assertThat(live).as("liveness once every request thread hangs on Redis")
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(HttpTimeoutException.class);

        unpause(redis);
        // docker unpause delivers the commands Redis held, so these hung calls finish. Toxiproxy's timeout toxic
        // behaves the same: it holds the bytes and flushes them when it is removed.
        await("hung reads finish once the frozen Redis answers the commands it held").atMost(Duration.ofSeconds(30))
                .until(() -> reads.stream().allMatch(CompletableFuture::isDone));
        assertThat(reads).allSatisfy(read -> assertThat(read.join().statusCode()).isEqualTo(200));
    }

    @Test
    void recoversWithinSecondsWhenAProxyThatDroppedRedisTrafficHeals() throws Exception {
        ProxiedRedis proxied = proxiedRedis();
        Map<String, String> env = environment(postgres);
        env.put("REDIS_HOST", proxied.host());
        env.put("REDIS_PORT", String.valueOf(proxied.port()));
        env.put("REDIS_BREAKER_OPEN_DURATION", "1s");
        Api api = start(env);
        String id = api.placeOrder().text("id");

        Timeout blackhole = proxied.proxy().toxics().timeout("blackhole", ToxicDirection.UPSTREAM, 0);
        await("reads bypass the cache while the proxy drops every command").atMost(Duration.ofSeconds(10))
                .until(() -> "BYPASS".equals(api.get("/orders/" + id).header("X-Cache")));
        assertThat(api.get("/health/live", Duration.ofSeconds(2)).status()).isEqualTo(200);

        blackhole.remove();
        await("cache used again after the proxy healed").atMost(Duration.ofSeconds(15)).until(() -> {
            String fresh = api.placeOrder().text("id");
            return "HIT".equals(api.get("/orders/" + fresh).header("X-Cache"));
        });
    }

    @Test
    void returnsConnectionsOfUnknownOrdersToThePool() {
        Map<String, String> env = environment(postgres);
        env.put("DATABASE_POOL_SIZE", "4");
        Api api = start(env);

        for (int read = 0; read < 20; read++) {
            assertThat(api.get("/orders/" + UUID.randomUUID()).status()).isEqualTo(404);
        }

        assertThat(api.placeOrder().status()).as("placing an order after 20 reads of unknown orders").isEqualTo(201);
    }

    @Test
    void leakingPoolFlawDrainsThePoolUntilRequestsFailFast() {
        Map<String, String> env = environment(postgres);
        env.put("DATABASE_POOL_SIZE", "4");
        env.put("DEMO_FLAWS", "leaking-pool");
        Api api = start(env);

        for (int read = 0; read < 4; read++) {
            assertThat(api.get("/orders/" + UUID.randomUUID()).status()).isEqualTo(404);
        }
        Api.Reply starved = api.placeOrder();

        assertThat(starved.status()).as("placing an order after 4 reads of unknown orders leaked 4 connections")
                .isEqualTo(503);
        assertThat(starved.header("Retry-After")).isEqualTo("1");
        assertThat(starved.text("dependency")).isEqualTo("database");
        assertThat(starved.text("message")).isEqualTo("could not store the order: no database connection free within 250ms"
                + " (pool exhausted: all 4 connections in use). Retry after 1 s.");
        assertThat(starved.took()).as("time to refuse an order while the pool is starved").isLessThan(Duration.ofSeconds(1));
        await("readiness shows all 4 connections in use with no request in flight").atMost(Duration.ofSeconds(3))
                .until(() -> dependency(api.get("/health/ready"), "database").path("pool").path("active").asInt() == 4);
        assertThat(api.get("/health/ready").status()).as("readiness: the database itself is up").isEqualTo(200);
    }

    @Test
    void leakingCacheFlawHoldsEveryOrderInTheHeap() {
        Map<String, String> env = environment(postgres);
        env.put("DEMO_FLAWS", "leaking-cache");
        Api api = start(env);

        for (int order = 0; order < 50; order++) {
            api.placeOrder();
        }

        String metrics = api.get("/metrics").body();
        assertThat(metrics).as("hot orders held after 50 orders").contains("demo_hot_orders 50.0");
        assertThat(metrics).contains("demo_flaw_enabled{flaw=\"leaking-cache\"} 1.0",
                "demo_flaw_enabled{flaw=\"leaking-pool\"} 0.0");
    }

    @Test
    void reportsNotReadyAndFailsFastWhilePostgresIsDownThenHeals() {
        GenericContainer<?> ownPostgres = postgres();
        ownPostgres.start();
        cleanups.push(ownPostgres::stop);
        Api api = start(environment(ownPostgres));

        pause(ownPostgres);
        await("readiness DOWN while PostgreSQL is frozen").atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/health/ready").status() == 503);
        Api.Reply frozen = api.placeOrder();
        assertThat(frozen.status()).as("placing an order while PostgreSQL is frozen: %s", frozen.body()).isEqualTo(503);
        assertThat(frozen.took()).as("time to refuse an order while PostgreSQL is frozen").isLessThan(Duration.ofSeconds(5));
        assertThat(api.get("/health/live").status()).as("liveness while PostgreSQL is frozen").isEqualTo(200);

        unpause(ownPostgres);
        await("ready again once PostgreSQL answers").atMost(Duration.ofSeconds(15))
                .until(() -> api.get("/health/ready").status() == 200);
        await("orders accepted again once PostgreSQL answers").atMost(Duration.ofSeconds(15))
                .until(() -> api.placeOrder().status() == 201);

        DockerClientFactory.instance().client().stopContainerCmd(ownPostgres.getContainerId()).exec();
        await("readiness DOWN once PostgreSQL is stopped").atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/health/ready").status() == 503);
        Api.Reply ready = api.get("/health/ready");
        assertThat(dependency(ready, "database").path("state").asText()).isEqualTo("DOWN");
        assertThat(dependency(ready, "redis").path("state").asText()).isEqualTo("UP");
        Api.Reply stopped = api.placeOrder();
        assertThat(stopped.status()).as("placing an order while PostgreSQL is stopped").isEqualTo(503);
        assertThat(stopped.header("Retry-After")).isEqualTo("1");
        assertThat(stopped.text("dependency")).isEqualTo("database");
        assertThat(stopped.took()).as("time to refuse an order while PostgreSQL is stopped").isLessThan(Duration.ofSeconds(1));
    }

    /** Redis behind Toxiproxy, on a network of their own. */
    private record ProxiedRedis(Proxy proxy, String host, int port) {
    }

    private ProxiedRedis proxiedRedis() throws IOException {
        Network network = Network.newNetwork();
        cleanups.push(network::close);
        GenericContainer<?> ownRedis = new GenericContainer<>(REDIS_IMAGE)
                .withNetwork(network)
                .withNetworkAliases("redis")
                .withExposedPorts(REDIS_PORT)
                .waitingFor(Wait.forListeningPort().withStartupTimeout(CONTAINER_START));
        ToxiproxyContainer toxiproxy = new ToxiproxyContainer(TOXIPROXY_IMAGE)
                .withCommand("-host=0.0.0.0", "-proxy-metrics").withNetwork(network);
        cleanups.push(ownRedis::stop);
        cleanups.push(toxiproxy::stop);
        Startables.deepStart(ownRedis, toxiproxy).join();
        Proxy proxy = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort())
                .createProxy("redis", "0.0.0.0:" + PROXY_PORT, "redis:" + REDIS_PORT);
        return new ProxiedRedis(proxy, toxiproxy.getHost(), toxiproxy.getMappedPort(PROXY_PORT));
    }

    private static GenericContainer<?> postgres() {
        return new GenericContainer<>(POSTGRES_IMAGE)
                .withEnv("POSTGRES_DB", DATABASE)
                .withEnv("POSTGRES_USER", USER)
                .withEnv("POSTGRES_PASSWORD", PASSWORD)
                .withExposedPorts(POSTGRES_PORT)
                .waitingFor(Wait.forListeningPort().withStartupTimeout(CONTAINER_START));
    }

    private static String jdbcUrl(GenericContainer<?> database) {
        return "jdbc:postgresql://" + database.getHost() + ":" + database.getMappedPort(POSTGRES_PORT) + "/" + DATABASE;
    }

    private static Map<String, String> environment(GenericContainer<?> database) {
        Map<String, String> env = new HashMap<>();
        env.put("HTTP_PORT", "0");
        env.put("DATABASE_URL", jdbcUrl(database));
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

    private static JsonNode dependency(Api.Reply readiness, String name) {
        return readiness.json().path("dependencies").path(name);
    }

    private static String committedStatus(String id) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(postgres), USER, PASSWORD);
             PreparedStatement select = connection.prepareStatement("SELECT status FROM orders WHERE id = ?")) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /** Freezes the container like a hung server: connections are accepted by the kernel, nothing answers. */
    private void pause(GenericContainer<?> container) {
        docker().pauseContainerCmd(container.getContainerId()).exec();
        cleanups.push(() -> unpause(container));
    }

    private static void unpause(GenericContainer<?> container) {
        DockerClient docker = docker();
        if (Boolean.TRUE.equals(docker.inspectContainerCmd(container.getContainerId()).exec().getState().getPaused())) {
            docker.unpauseContainerCmd(container.getContainerId()).exec();
        }
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}
