package dev.gameday.faults;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.internal.Probes;
import dev.gameday.faults.internal.ToxiproxyDisruption;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * Every Toxiproxy fault against a real Redis behind a real Toxiproxy: the effect as a Redis client through the proxy
 * sees it (and, where Redis or Toxiproxy can show it, from their own view: a counter read at Redis's own port, the
 * toxics on the proxy), and the full restore (no toxic of ours left, the proxy enabled, the same answers as fast as
 * before). Each fault's inject-to-verified-effect and revert-to-verified-restore times are logged (lines starting
 * {@code TIMING}).
 */
class ToxicFaultsIT {

    private static final int PROXY_PORT = 8666;
    private static final Network NETWORK = Network.newNetwork();
    private static final GenericContainer<?> REDIS = new GenericContainer<>(Images.REDIS)
            .withNetwork(NETWORK).withNetworkAliases("redis").withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
    private static final ToxiproxyContainer TOXIPROXY = new ToxiproxyContainer(Images.TOXIPROXY)
            .withCommand("-host=0.0.0.0", "-proxy-metrics").withNetwork(NETWORK);
    /** A healthy answer through the proxy on loopback takes about a millisecond; this leaves a busy machine room. */
    private static final Duration FAST = ofMillis(250);
    private static final int BIG_VALUE_BYTES = 100_000;
    private static final List<String> TIMINGS = new CopyOnWriteArrayList<>();

    private static Target redis;
    private static Proxy proxy;
    private static Endpoint proxied;
    private static Endpoint direct;
    private static Probe ping;

    @TempDir
    Path journalDirectory;
    private List<String> toxicsBefore;

    @BeforeAll
    static void start() throws IOException {
        REDIS.start();
        TOXIPROXY.start();
        ToxiproxyClient client = new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort());
        proxy = client.createProxy("redis", "0.0.0.0:" + PROXY_PORT, "redis:6379");
        proxied = new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getMappedPort(PROXY_PORT));
        direct = new Endpoint(REDIS.getHost(), REDIS.getMappedPort(6379));
        redis = new Target("redis", Protocol.REDIS, direct,
                Optional.of(new NetworkLink(new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getControlPort()), "redis",
                        proxied)), Optional.of(REDIS.getContainerId()));
        ping = Probes.forProtocol(Protocol.REDIS, proxied);
        try (RedisClient setup = RedisClient.open(direct)) {
            assertThat(setup.command("SET", "big", "v".repeat(BIG_VALUE_BYTES))).isEqualTo("OK");
        }
    }

    @AfterAll
    static void stop() {
        TIMINGS.forEach(System.out::println);
        TOXIPROXY.stop();
        REDIS.stop();
        NETWORK.close();
    }

    @BeforeEach
    void redisAnswersFastThroughACleanProxy() throws IOException {
        assertThat(proxyEnabled()).as("precondition: the proxy is enabled").isTrue();
        toxicsBefore = toxicNames();
        assertThat(toxicsBefore).as("precondition: no toxic on the proxy").isEmpty();
        assertThat(ping.roundTrip(ofMillis(500))).as("precondition: Redis answers PING through the proxy")
                .hasValueSatisfying(rt -> assertThat(rt).isLessThan(FAST));
    }

    @AfterEach
    void leaveTheProxyClean() throws IOException {
        for (Toxic toxic : proxy.toxics().getAll()) {
            toxic.remove();
        }
        proxy.enable();
    }

    @Test
    void latencyWithJitterDelaysEveryAnswerWithinItsRangeUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.latency(redis, ofMillis(300), ofMillis(100)).inject(timing)) {
            assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
            Latency toxic = proxy.toxics().get(onlyToxicOfOurs(), Latency.class);
            assertThat(List.of(toxic.getLatency(), toxic.getJitter()))
                    .as("Toxiproxy's own view: latency 300 ms, jitter 100 ms").containsExactly(300L, 100L);
            assertThat(toxic.getStream()).as("on the answers").isEqualTo(ToxicDirection.DOWNSTREAM);
            for (int i = 0; i < 3; i++) {
                assertThat(ping.roundTrip(ofSeconds(2))).as("PING through the proxy takes at least 300 - 100 ms")
                        .hasValueSatisfying(rt -> assertThat(rt).isGreaterThanOrEqualTo(ofMillis(200)));
            }
        }
        assertRestored(timing.log("latency 300ms ±100ms"));
    }

    @Test
    void bandwidthSlowsALargeAnswerToTheRateUntilReverted() throws IOException {
        Duration before = timed(() -> assertBigValue(get(proxied, "big", ofSeconds(5))));
        Timing timing = new Timing();
        // 100 000 bytes at 50 000 bytes/s: two seconds, against a few milliseconds unlimited
        try (ActiveFault fault = NetworkFaults.bandwidth(redis, 50_000).inject(timing)) {
            Duration slowed = timed(() -> assertBigValue(get(proxied, "big", ofSeconds(10))));
            assertThat(slowed).as("GET of a 100 kB value through the proxy at 50 kB/s (unlimited: %s)", before)
                    .isGreaterThanOrEqualTo(ofMillis(1_000));
            assertThat(proxy.toxics().get(onlyToxicOfOurs()).getStream()).isEqualTo(ToxicDirection.DOWNSTREAM);
        }
        assertRestored(timing.log("bandwidth 50000 B/s"));
        assertThat(timed(() -> assertBigValue(get(proxied, "big", ofSeconds(5))))).as("the large GET is fast again")
                .isLessThan(ofMillis(500));
    }

    @Test
    void resetPeerEndsEveryConnectionWithoutAnswerAndTheRequestNeverReachesRedis() throws IOException {
        long counter = counter();
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.resetPeer(redis).inject(timing)) {
            Reply reply = send(proxied, "INCR", "counter", ofSeconds(3));
            assertThat(reply.ending()).as("the client sees its connection reset or closed, with no answer: %s", reply)
                    .isIn("reset", "closed");
            assertThat(reply.bytes()).isEmpty();
            assertThat(counter()).as("Redis's own view: the INCR never reached it").isEqualTo(counter);
        }
        assertRestored(timing.log("reset_peer"));
        assertThat(send(proxied, "INCR", "counter", ofSeconds(3)).text()).isEqualTo(":" + (counter + 1) + "\r\n");
    }

    @Test
    void slowCloseDelaysTheServersCloseButNotTheAnswerUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.slowClose(redis, ofSeconds(2)).inject(timing)) {
            Reply reply = send(proxied, "QUIT", null, ofSeconds(5));
            assertThat(reply.text()).as("the answer itself arrives").isEqualTo("+OK\r\n");
            assertThat(reply.ending()).isEqualTo("closed");
            assertThat(reply.closedAfterAnswer()).as("Redis closed at once, the client saw it 2 s later")
                    .isGreaterThanOrEqualTo(ofMillis(1_500));
        }
        assertRestored(timing.log("slow_close 2s"));
        assertThat(send(proxied, "QUIT", null, ofSeconds(5)).closedAfterAnswer()).isLessThan(ofMillis(500));
    }

    @Test
    void theSlicerDeliversALargeAnswerInManySmallDelayedReadsUntilReverted() throws IOException {
        Timing timing = new Timing();
        // 100 000 bytes in slices of 50 to 1000 bytes, 5 ms apart: at least 100 slices, at least 0.5 s
        try (ActiveFault fault = NetworkFaults.slicer(redis, 1_000, ofMillis(5)).inject(timing)) {
            long start = System.nanoTime();
            Reply reply = send(proxied, "GET", "big", ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertBigValue(reply);
            assertThat(reply.reads()).as("the answer arrived in many reads").isGreaterThanOrEqualTo(50);
            assertThat(took).isGreaterThanOrEqualTo(ofMillis(250));
        }
        assertRestored(timing.log("slicer 1000B/5ms"));
        Reply after = send(proxied, "GET", "big", ofSeconds(5));
        assertBigValue(after);
    }

    @Test
    void limitDataCutsALargeAnswerShortUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.limitData(redis, 10_000).inject(timing)) {
            Reply reply = send(proxied, "GET", "big", ofSeconds(5));
            assertThat(reply.ending()).as("the connection closed after the limit: %s", reply).isIn("closed", "reset");
            assertThat(reply.bytes().length).as("at most 10 000 of the 100 000 bytes arrived")
                    .isLessThanOrEqualTo(10_000).isPositive();
        }
        assertRestored(timing.log("limit_data 10000B"));
        assertBigValue(get(proxied, "big", ofSeconds(5)));
    }

    @Test
    void aPartitionKeepsConnectionsOpenButLetsNothingThroughEitherWay() throws IOException {
        long counter = counter();
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.partition(redis).inject(timing)) {
            assertThat(proxy.toxics().getAll()).as("two toxics of ours, one per direction")
                    .extracting(Toxic::getStream).containsExactlyInAnyOrder(ToxicDirection.UPSTREAM,
                            ToxicDirection.DOWNSTREAM);
            Reply reply = send(proxied, "INCR", "counter", ofSeconds(1));
            assertThat(reply.ending()).as("connected, then silence: neither an answer nor a close").isEqualTo("silent");
            assertThat(counter()).as("Redis's own view: the INCR did not reach it").isEqualTo(counter);
        }
        assertRestored(timing.log("partition both ways"));
        assertThat(counter()).as("what was sent during the partition was dropped, not held").isEqualTo(counter);
    }

    @Test
    void anUpstreamPartitionDropsRequestsBeforeTheyReachRedis() throws IOException {
        long counter = counter();
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.partition(redis, NetworkFaults.Direction.UPSTREAM).inject(timing)) {
            Reply reply = send(proxied, "INCR", "counter", ofSeconds(1));
            assertThat(reply.ending()).isEqualTo("silent");
            await("Redis's own view: the counter stays unchanged").during(ofSeconds(1)).atMost(ofSeconds(3))
                    .until(ToxicFaultsIT::counter, value -> value == counter);
        }
        assertRestored(timing.log("partition upstream"));
        assertThat(counter()).isEqualTo(counter);
    }

    @Test
    void aDownstreamPartitionLetsTheWriteHappenButLosesItsAcknowledgement() throws IOException {
        long counter = counter();
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.partition(redis, NetworkFaults.Direction.DOWNSTREAM).inject(timing)) {
            Reply reply = send(proxied, "INCR", "counter", ofSeconds(1));
            assertThat(reply.ending()).as("the client got no acknowledgement").isEqualTo("silent");
            await("Redis's own view: the INCR was executed").atMost(ofSeconds(5))
                    .until(ToxicFaultsIT::counter, value -> value == counter + 1);
        }
        assertRestored(timing.log("partition downstream"));
    }

    @Test
    void theProxyDownRefusesConnectionsUntilReverted() throws IOException {
        Timing timing = new Timing();
        try (ActiveFault fault = NetworkFaults.proxyDown(redis).inject(timing)) {
            assertThat(proxyEnabled()).as("Toxiproxy's own view").isFalse();
            Reply reply = send(proxied, "PING", null, ofSeconds(1));
            assertThat(reply.ending()).as("refused, or (through Docker's port forwarding) closed at once: %s", reply)
                    .isIn("refused", "closed", "reset");
        }
        assertRestored(timing.log("proxy down"));
    }

    @Test
    void twoFaultsOnOneProxyRevertIndependently() throws IOException {
        Timing latencyTiming = new Timing();
        Timing timeoutTiming = new Timing();
        try (ActiveFault latency = NetworkFaults.latency(redis, ofMillis(300)).inject(latencyTiming)) {
            String latencyToxic = onlyToxicOfOurs();
            try (ActiveFault timeout = NetworkFaults.timeout(redis).inject(timeoutTiming)) {
                assertThat(toxicNames()).hasSize(2);
                assertThat(ping.roundTrip(ofSeconds(1))).as("the timeout silences Redis").isEmpty();
            }
            timeoutTiming.log("timeout (on top of latency)");
            assertThat(toxicNames()).as("reverting the timeout left the latency's toxic").containsExactly(latencyToxic);
            assertThat(ping.roundTrip(ofSeconds(2))).as("and the latency still slows PING")
                    .hasValueSatisfying(rt -> assertThat(rt).isGreaterThanOrEqualTo(ofMillis(300)));
        }
        assertRestored(latencyTiming.log("latency 300ms (with a timeout on top)"));
    }

    @Test
    void aPartitionAKilledRunLeftIsRevertedFromItsJournalEntryAlone() throws Exception {
        FaultJournal journal = FaultJournal.at(journalDirectory);
        ActiveFault fault = NetworkFaults.partition(redis).journaledIn(journal).inject();
        assertThat(toxicNames()).hasSize(2);
        ownedByAFinishedProcess(journal);

        List<String> done = journal.cleanup();

        assertThat(done).singleElement().asString().startsWith("reverted 'redis-partition'")
                .contains("toxics 'gameday-redis-partition-");
        assertThat(journal.entries()).isEmpty();
        assertRestored("-");
        fault.close(); // this process's handle: its toxics are already gone
        assertThat(fault.state()).isEqualTo(FaultState.RESTORED);
    }

    @Test
    void aDisabledProxyAKilledRunLeftIsEnabledFromItsJournalEntryAlone() throws Exception {
        FaultJournal journal = FaultJournal.at(journalDirectory);
        ActiveFault fault = NetworkFaults.proxyDown(redis).journaledIn(journal).inject();
        assertThat(proxyEnabled()).isFalse();
        ownedByAFinishedProcess(journal);

        assertThat(journal.cleanup()).singleElement().asString().startsWith("reverted 'redis-proxy-down'")
                .endsWith("proxy 'redis' enabled");

        assertRestored("-");
        fault.close();
        assertThat(fault.state()).isEqualTo(FaultState.RESTORED);
    }

    /** Rewrites the journal's one entry as if a process that has ended had applied it. */
    private static void ownedByAFinishedProcess(FaultJournal journal) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path file = journal.entries().get(0).file();
        Properties entry = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            entry.load(in);
        }
        entry.setProperty("owner.pid", Long.toString(finished.pid()));
        entry.remove("owner.started");
        try (var out = Files.newOutputStream(file)) {
            entry.store(out, "owned by a finished process");
        }
        assertThat(journal.leftovers()).hasSize(1);
    }

    /** The proxy as it was before the fault, and PING through it as fast as before. */
    private void assertRestored(String timing) throws IOException {
        assertThat(proxyEnabled()).as("restored: the proxy is enabled").isTrue();
        assertThat(toxicNames()).as("restored: the proxy's toxics are those before the fault").isEqualTo(toxicsBefore);
        assertThat(ping.roundTrip(ofMillis(500))).as("restored: PING through the proxy answers fast again (%s)", timing)
                .hasValueSatisfying(rt -> assertThat(rt).isLessThan(FAST));
    }

    /** Read from Toxiproxy each time: a {@link Proxy} keeps the state it was fetched with. */
    private static boolean proxyEnabled() throws IOException {
        return new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort()).getProxy("redis").isEnabled();
    }

    private static List<String> toxicNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (Toxic toxic : proxy.toxics().getAll()) {
            names.add(toxic.getName());
        }
        return names;
    }

    private static String onlyToxicOfOurs() throws IOException {
        List<String> names = toxicNames();
        assertThat(names).singleElement().asString().startsWith(ToxiproxyDisruption.TOXIC_PREFIX);
        return names.get(0);
    }

    private static long counter() throws IOException {
        try (RedisClient client = RedisClient.open(direct)) {
            String value = client.command("GET", "counter");
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    private static void assertBigValue(Reply reply) {
        String head = "$" + BIG_VALUE_BYTES + "\r\n";
        assertThat(reply.bytes().length).as("the whole value arrived: %s", reply)
                .isEqualTo(head.length() + BIG_VALUE_BYTES + 2);
        assertThat(reply.text()).startsWith(head);
    }

    private static Reply get(Endpoint endpoint, String key, Duration timeout) throws IOException {
        return send(endpoint, "GET", key, timeout);
    }

    private static Duration timed(ThrowingRunnable action) throws IOException {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    /**
     * Sends one command on a fresh connection and reads everything until the complete reply (a bulk reply's full
     * length, or one line) and, for QUIT, until the server's close; says how the exchange ended.
     */
    private static Reply send(Endpoint endpoint, String command, String argument, Duration timeout) throws IOException {
        List<String> words = argument == null ? List.of(command) : List.of(command, argument);
        StringBuilder request = new StringBuilder("*" + words.size() + "\r\n");
        words.forEach(word -> request.append("$").append(word.length()).append("\r\n").append(word).append("\r\n"));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        int reads = 0;
        long start = System.nanoTime();
        long answeredAt = 0;
        boolean awaitClose = command.equals("QUIT");
        Socket socket = new Socket();
        try (socket) {
            try {
                socket.connect(new java.net.InetSocketAddress(endpoint.host(), endpoint.port()),
                        (int) timeout.toMillis());
            } catch (java.net.ConnectException e) {
                return new Reply("refused", new byte[0], 0, null);
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                long left = timeout.toMillis() - (System.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    return new Reply("silent", answer.toByteArray(), reads, null);
                }
                socket.setSoTimeout((int) left);
                int n = in.read(buffer);
                if (n < 0) {
                    return new Reply("closed", answer.toByteArray(), reads,
                            answeredAt == 0 ? null : Duration.ofNanos(System.nanoTime() - answeredAt));
                }
                reads++;
                answer.write(buffer, 0, n);
                if (answeredAt == 0 && complete(answer.toByteArray())) {
                    answeredAt = System.nanoTime();
                    if (!awaitClose) {
                        return new Reply("answered", answer.toByteArray(), reads, null);
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            return new Reply("silent", answer.toByteArray(), reads, null);
        } catch (java.net.SocketException e) {
            return new Reply(String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("reset") ? "reset"
                    : "closed", answer.toByteArray(), reads, null);
        }
    }

    private static boolean complete(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int line = text.indexOf("\r\n");
        if (line < 0) {
            return false;
        }
        if (text.charAt(0) != '$') {
            return true;
        }
        int length = Integer.parseInt(text.substring(1, line));
        return length < 0 || answer.length >= line + 2 + length + 2;
    }

    /** How one exchange ended: answered, closed, reset, refused or silent. */
    private record Reply(String ending, byte[] bytes, int reads, Duration closedAfterAnswer) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return ending + " after " + bytes.length + " bytes in " + reads + " reads";
        }
    }

    /** Times a fault's life from its listener: inject to verified effect, revert to verified restore. */
    private static final class Timing implements FaultListener {
        private long injecting;
        private long active;
        private long restoring;
        private long restored;

        @Override
        public void injecting(String fault, String description) {
            injecting = System.nanoTime();
        }

        @Override
        public void active(String fault, String evidence) {
            active = System.nanoTime();
        }

        @Override
        public void restoring(String fault) {
            restoring = System.nanoTime();
        }

        @Override
        public void restored(String fault, String evidence) {
            restored = System.nanoTime();
        }

        String log(String fault) {
            String line = String.format(Locale.ROOT, "TIMING %-40s inject->effect %7.1f ms   revert->restored %7.1f ms",
                    fault, (active - injecting) / 1e6, (restored - restoring) / 1e6);
            TIMINGS.add(line);
            return line;
        }
    }

    /** A Redis connection for setting up and reading back state at Redis's own port. */
    private record RedisClient(Socket socket) implements AutoCloseable {
        static RedisClient open(Endpoint endpoint) throws IOException {
            Socket socket = new Socket(endpoint.host(), endpoint.port());
            socket.setSoTimeout(5_000);
            return new RedisClient(socket);
        }

        /** Sends a command and returns a simple or bulk reply's text (null for a nil bulk reply). */
        String command(String... words) throws IOException {
            StringBuilder request = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                request.append("$").append(word.length()).append("\r\n").append(word).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String line = readLine(in);
            return switch (line.charAt(0)) {
                case '+', ':' -> line.substring(1);
                case '$' -> {
                    int length = Integer.parseInt(line.substring(1));
                    if (length < 0) {
                        yield null;
                    }
                    byte[] value = in.readNBytes(length + 2);
                    yield new String(value, 0, length, StandardCharsets.ISO_8859_1);
                }
                default -> throw new IOException("Redis answered " + line);
            };
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("Redis closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
