package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.images.Images;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Redis faults against a real Redis 7.0 with a password, seen through Jedis as a system under test sees Redis, and
 * through Redis's own views (INFO, CONFIG GET, CLIENT LIST). Each test first moves the settings a fault changes away
 * from Redis's defaults, so that a revert to the defaults would not pass for a revert to what was there.
 */
class RedisFaultsIT {

    private static final String PASSWORD = "gameday-secret";
    private static final GenericContainer<?> REDIS = new GenericContainer<>(Images.REDIS)
            .withCommand("redis-server", "--requirepass", PASSWORD).withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));

    private static Target redis;

    @TempDir
    Path journalDirectory;

    @BeforeAll
    static void start() {
        REDIS.start();
        redis = new Target("redis", Protocol.REDIS, new Endpoint(REDIS.getHost(), REDIS.getMappedPort(6379)),
                Optional.empty(), Optional.of(REDIS.getContainerId())).withCredentials(Credentials.password(PASSWORD));
    }

    @AfterAll
    static void stop() {
        REDIS.stop();
    }

    @BeforeEach
    void settingsOtherThanTheDefaults() {
        try (Jedis admin = client(Duration.ofSeconds(5))) {
            admin.configSet("maxmemory", "209715200");
            admin.configSet("maxmemory-policy", "allkeys-lru");
            admin.configSet("maxclients", "500");
            admin.configSet("busy-reply-threshold", "4000");
            admin.set("quote:EURUSD", "1.0842");
        }
    }

    @AfterEach
    void nothingOfTheFaultIsLeft() {
        try (Jedis admin = client(Duration.ofSeconds(10))) {
            assertThat(snapshot(admin)).as("Redis as it was before the fault").isEqualTo(expectedSettled());
        }
    }

    @Test
    void aClientPauseLeavesEveryCommandUnansweredUntilReverted() throws Exception {
        Timings timings = new Timings();
        long pausesBefore = pauseCalls();
        // connected (and logged in) before the pause, as pooled clients are
        try (Jedis patient = client(Duration.ofSeconds(30)); Jedis impatient = client(Duration.ofSeconds(1))) {
            CompletableFuture<String> waiting;
            try (ActiveFault fault = RedisFaults.clientPause(redis).journaledIn(journal()).inject(timings)) {
                assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
                assertThat(timings.activeEvidence).contains("got no answer within 500 ms")
                        .contains("Redis acknowledged CLIENT PAUSE 500 ALL from client 'gameday-redis-client-pause-");
                assertThatThrownBy(impatient::ping).as("a client's PING is not answered within 1 s")
                        .isInstanceOf(JedisConnectionException.class);
                assertThatThrownBy(() -> client(Duration.ofSeconds(1)).close()).as("nor is a new client's login")
                        .isInstanceOf(JedisConnectionException.class);
                // a client that waits through several pause steps is still not answered: the pause has no gap
                waiting = CompletableFuture.supplyAsync(() -> patient.get("quote:EURUSD"));
                Thread.sleep(2_500);
                assertThat(waiting).as("a GET waiting through five 500 ms pause steps").isNotDone();
            }
            assertThat(waiting.get(5, TimeUnit.SECONDS)).as("answered once the pause is reverted")
                    .isEqualTo("1.0842");
        }
        assertThat(pauseCalls() - pausesBefore).as("Redis's own count of CLIENT PAUSE: renewed while active")
                .isGreaterThanOrEqualTo(5);
        assertThat(timings.restoredEvidence).contains("Redis PING to " + redis.endpoint() + " answered in");
        try (Jedis client = client(Duration.ofSeconds(1))) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
        timings.report("client-pause");
    }

    @Test
    void aBusyScriptMakesRedisAnswerBusyUntilReverted() {
        Timings timings = new Timings();
        try (ActiveFault fault = RedisFaults.busy(redis).journaledIn(journal()).inject(timings)) {
            assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
            try (Jedis client = client(Duration.ofSeconds(2))) {
                assertThatThrownBy(() -> client.get("quote:EURUSD")).as("Redis's own answer to a client's GET")
                        .isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("BUSY Redis is busy running a script.");
            }
            assertThat(timings.activeEvidence).contains("refused by Redis")
                    .contains("BUSY Redis is busy running a script");
        }
        try (Jedis client = client(Duration.ofSeconds(1))) {
            assertThat(client.get("quote:EURUSD")).isEqualTo("1.0842");
            assertThat(client.configGet("busy-reply-threshold")).containsEntry("busy-reply-threshold", "4000");
        }
        assertThat(timings.restoredEvidence).contains("busy-reply-threshold 4000 as before the fault");
        assertThat(REDIS.getLogs()).as("Redis's log").contains("Lua script killed by user with SCRIPT KILL.");
        timings.report("busy");
    }

    @Test
    void maxmemoryRefusesWritesWithOomButAnswersReadsUntilReverted() {
        Timings timings = new Timings();
        try (ActiveFault fault = RedisFaults.maxmemory(redis).journaledIn(journal()).inject(timings);
             Jedis client = client(Duration.ofSeconds(2))) {
            assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
            assertThatThrownBy(() -> client.set("quote:GBPUSD", "1.2650")).as("a client's write")
                    .isInstanceOf(JedisDataException.class)
                    .hasMessage("OOM command not allowed when used memory > 'maxmemory'.");
            assertThat(client.get("quote:EURUSD")).as("a client's read, and no key evicted").isEqualTo("1.0842");
            assertThat(client.configGet("maxmemory*")).as("Redis's own view")
                    .containsEntry("maxmemory", "1").containsEntry("maxmemory-policy", "noeviction");
            assertThat(timings.activeEvidence).startsWith("SET to " + redis.endpoint() + " refused in")
                    .contains("OOM command not allowed when used memory > 'maxmemory'.")
                    .contains("while a GET on the same connection was answered");
        }
        try (Jedis client = client(Duration.ofSeconds(1))) {
            assertThat(client.set("quote:GBPUSD", "1.2650")).isEqualTo("OK");
            client.del("quote:GBPUSD");
        }
        assertThat(timings.restoredEvidence).contains("maxmemory 209715200 as before the fault")
                .contains("maxmemory-policy allkeys-lru as before the fault");
        timings.report("maxmemory");
    }

    @Test
    void connectionExhaustionRefusesNewConnectionsButKeepsOpenOnesUntilReverted() {
        Timings timings = new Timings();
        try (Jedis pooled = client(Duration.ofSeconds(2)); Jedis leaving = client(Duration.ofSeconds(2))) {
            assertThat(pooled.ping()).as("a pooled connection, open before the fault").isEqualTo("PONG");
            assertThat(leaving.ping()).as("another, closed during the fault").isEqualTo("PONG");
            try (ActiveFault fault = RedisFaults.connectionExhaustion(redis).journaledIn(journal()).inject(timings)) {
                assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
                assertThatThrownBy(() -> client(Duration.ofSeconds(2)).close()).as("a client's new connection")
                        .hasMessageContaining("max number of clients reached");
                assertThat(pooled.get("quote:EURUSD")).as("the open connection still works").isEqualTo("1.0842");
                String info = pooled.info("clients");
                assertThat(value(info, "connected_clients")).as("Redis's own view: every slot taken")
                        .isEqualTo(value(info, "maxclients"));
                assertThat(pooled.clientList().lines().filter(l -> l.contains(" name=gameday-redis-connection"
                        + "-exhaustion-"))).as("the fault's named connections in CLIENT LIST").isNotEmpty();
                // a client of the system disconnects: the fault takes its slot before the system can reconnect
                long heldBefore = namedExhaustionClients(pooled);
                leaving.close();
                await("the fault holds the slot a client freed").atMost(Duration.ofSeconds(10))
                        .until(() -> namedExhaustionClients(pooled), held -> held == heldBefore + 1);
                assertThatThrownBy(() -> client(Duration.ofSeconds(2)).close()).as("a client's reconnection")
                        .hasMessageContaining("max number of clients reached");
                assertThat(timings.activeEvidence).startsWith("a new connection to " + redis.endpoint()
                        + " was refused in").contains("ERR max number of clients reached")
                        .containsPattern("Redis reports connected_clients (\\d+) of maxclients \\1, [1-9]\\d* of them"
                                + " named 'gameday-redis-connection-exhaustion-");
            }
        }
        try (Jedis client = client(Duration.ofSeconds(1))) {
            assertThat(client.ping()).isEqualTo("PONG");
        }
        assertThat(timings.restoredEvidence).contains("maxclients 500 as before the fault");
        timings.report("connection-exhaustion");
    }

    @Test
    void aKilledRunsClientPauseIsCleanedUpFromTheJournal() throws Exception {
        killedRunIsCleanedUp("client-pause", client -> "Redis answers again");
    }

    @Test
    void aKilledRunsBusyScriptIsKilledFromTheJournal() throws Exception {
        killedRunIsCleanedUp("busy", client -> {
            assertThatThrownBy(client::ping).as("the script outlives the run that started it")
                    .hasMessageStartingWith("BUSY");
            return "busy script killed with SCRIPT KILL; busy-reply-threshold set back to 4000";
        });
    }

    @Test
    void aKilledRunsMaxmemoryIsSetBackFromTheJournal() throws Exception {
        killedRunIsCleanedUp("maxmemory", client -> {
            assertThatThrownBy(() -> client.set("k", "v")).as("the limit outlives the run that set it")
                    .hasMessageStartingWith("OOM");
            return "maxmemory set back to 209715200 and maxmemory-policy to allkeys-lru";
        });
    }

    @Test
    void aKilledRunsConnectionLimitIsSetBackFromTheJournal() throws Exception {
        killedRunIsCleanedUp("connection-exhaustion", client -> {
            assertThat(client.configGet("maxclients").get("maxclients")).as("the limit outlives the run that set it")
                    .isNotEqualTo("500");
            return "maxclients set back to 500";
        });
    }

    /**
     * Injects the fault in another JVM, kills that JVM with SIGKILL once the fault is active, checks what it left in
     * Redis, and reverts it with the journal's cleanup as the next run would.
     */
    private void killedRunIsCleanedUp(String fault, Function<Jedis, String> leftBehind) throws Exception {
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RedisFaultRun.class.getName(), fault,
                redis.endpoint().host(), Integer.toString(redis.endpoint().port()), PASSWORD,
                journalDirectory.toString())
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(run.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("ACTIVE")) {
                output.add(line);
            }
            assertThat(line).as("the other run's fault became active; it printed " + output).isNotNull();
            run.destroyForcibly();
            assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            run.destroyForcibly();
        }
        FaultJournal journal = journal();
        assertThat(journal.leftovers()).as("the killed run's journal entry").hasSize(1);
        String expected;
        // Redis frees the killed run's connections a moment after the kill; until then every slot may be taken
        try (Jedis client = await("a connection to Redis").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> client(Duration.ofSeconds(5)), java.util.Objects::nonNull)) {
            expected = leftBehind.apply(client);
        }

        List<String> done = journal.cleanup();
        System.out.println("CLEANUP of a killed run's " + fault + ": " + done);

        assertThat(done).singleElement().asString().startsWith("reverted '" + "redis-" + fault + "'").contains(expected);
        assertThat(journal.entries()).isEmpty();
        try (Jedis client = client(Duration.ofSeconds(5))) {
            await("Redis answers as before the killed run").atMost(Duration.ofSeconds(5))
                    .until(() -> snapshot(client), expectedSettled()::equals);
        }
    }

    private static long namedExhaustionClients(Jedis client) {
        return client.clientList().lines().filter(l -> l.contains(" name=gameday-redis-connection-exhaustion-")).count();
    }

    private FaultJournal journal() {
        return FaultJournal.at(journalDirectory);
    }

    /** What the faults change, read back: must equal what the test set before. */
    private static Map<String, String> snapshot(Jedis admin) {
        String gamedayClients = String.valueOf(admin.clientList().lines().filter(l -> l.contains(" name=gameday-"))
                .count());
        return Map.of("maxmemory", admin.configGet("maxmemory").get("maxmemory"),
                "maxmemory-policy", admin.configGet("maxmemory-policy").get("maxmemory-policy"),
                "maxclients", admin.configGet("maxclients").get("maxclients"),
                "busy-reply-threshold", admin.configGet("busy-reply-threshold").get("busy-reply-threshold"),
                "gameday clients", gamedayClients,
                "quote:EURUSD", String.valueOf(admin.get("quote:EURUSD")),
                "ping", admin.ping());
    }

    private static Map<String, String> expectedSettled() {
        return Map.of("maxmemory", "209715200", "maxmemory-policy", "allkeys-lru", "maxclients", "500",
                "busy-reply-threshold", "4000", "gameday clients", "0", "quote:EURUSD", "1.0842", "ping", "PONG");
    }

    private static long pauseCalls() {
        try (Jedis admin = client(Duration.ofSeconds(5))) {
            String calls = value(admin.info("commandstats"), "cmdstat_client|pause");
            return calls.isEmpty() ? 0 : Long.parseLong(calls.replaceAll("^calls=(\\d+),.*$", "$1"));
        }
    }

    private static String value(String info, String field) {
        return info.lines().filter(l -> l.startsWith(field + ":")).map(l -> l.substring(field.length() + 1))
                .findFirst().orElse("");
    }

    private static Jedis client(Duration timeout) {
        return new Jedis(new HostAndPort(redis.endpoint().host(), redis.endpoint().port()),
                DefaultJedisClientConfig.builder().password(PASSWORD).timeoutMillis((int) timeout.toMillis()).build());
    }

    /** Times the inject and the revert from the listener's view, and keeps the evidence. */
    private static final class Timings implements FaultListener {
        private long injecting;
        private long active;
        private long restoring;
        private long restored;
        private String activeEvidence = "";
        private String restoredEvidence = "";

        @Override
        public void injecting(String fault, String description) {
            injecting = System.nanoTime();
        }

        @Override
        public void active(String fault, String evidence) {
            active = System.nanoTime();
            activeEvidence = evidence;
        }

        @Override
        public void restoring(String fault) {
            restoring = System.nanoTime();
        }

        @Override
        public void restored(String fault, String evidence) {
            restored = System.nanoTime();
            restoredEvidence = evidence;
        }

        void report(String fault) {
            System.out.printf("MEASURED redis %s: inject-to-verified-effect %.0f ms, revert-to-verified-restore %.0f ms%n"
                            + "  effect evidence: %s%n  restore evidence: %s%n", fault, (active - injecting) / 1e6,
                    (restored - restoring) / 1e6, activeEvidence, restoredEvidence);
        }
    }
}
