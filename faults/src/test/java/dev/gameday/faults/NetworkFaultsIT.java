package dev.gameday.faults;

import static java.time.Duration.ofMillis;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.internal.ProxyConnectionsSidecar;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.Probe;
import dev.gameday.faults.internal.Probes;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * Network faults against a real Redis behind a real Toxiproxy, verified with real Redis PINGs; the traffic meter reads
 * Toxiproxy's metrics and, through a sidecar in Toxiproxy's network namespace, its open connections.
 */
class NetworkFaultsIT {

    private static final int PROXY_PORT = 8666;
    private static final Network NETWORK = Network.newNetwork();
    private static final GenericContainer<?> REDIS = new GenericContainer<>(Images.REDIS)
            .withNetwork(NETWORK).withNetworkAliases("redis").withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
    private static final ToxiproxyContainer TOXIPROXY = new ToxiproxyContainer(Images.TOXIPROXY)
            .withCommand("-host=0.0.0.0", "-proxy-metrics").withNetwork(NETWORK);

    private static ProxyConnectionsSidecar connections;
    private static Target redis;
    private static Proxy proxy;
    private static Probe ping;

    @BeforeAll
    static void start() throws IOException {
        REDIS.start();
        TOXIPROXY.start();
        ToxiproxyClient client = new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort());
        proxy = client.createProxy("redis", "0.0.0.0:" + PROXY_PORT, "redis:6379");
        connections = ProxyConnectionsSidecar.startNextTo(TOXIPROXY);
        Endpoint proxied = new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getMappedPort(PROXY_PORT));
        redis = new Target("redis", Protocol.REDIS, new Endpoint(REDIS.getHost(), REDIS.getMappedPort(6379)),
                Optional.of(new NetworkLink(new Endpoint(TOXIPROXY.getHost(), TOXIPROXY.getControlPort()), "redis",
                        proxied, Optional.of(connections.connectionsOn(PROXY_PORT)))),
                Optional.of(REDIS.getContainerId()));
        ping = Probes.forProtocol(Protocol.REDIS, proxied);
    }

    @AfterAll
    static void stop() {
        if (connections != null) {
            connections.close();
        }
        TOXIPROXY.stop();
        REDIS.stop();
        NETWORK.close();
    }

    @BeforeEach
    void redisAnswersThroughTheProxy() {
        assertThat(ping.roundTrip(ofMillis(500))).as("precondition: Redis answers PING through the proxy").isPresent();
    }

    @Test
    void aTimeoutMakesRedisHangUntilReverted() throws IOException {
        long[] at = new long[4];
        FaultListener timing = new FaultListener() {
            @Override
            public void injecting(String fault, String description) {
                at[0] = System.nanoTime();
            }

            @Override
            public void active(String fault, String evidence) {
                at[1] = System.nanoTime();
            }

            @Override
            public void restoring(String fault) {
                at[2] = System.nanoTime();
            }

            @Override
            public void restored(String fault, String evidence) {
                at[3] = System.nanoTime();
            }
        };
        try (ActiveFault fault = NetworkFaults.timeout(redis).inject(timing)) {
            assertThat(fault.state()).isEqualTo(FaultState.ACTIVE);
            assertThat(ping.roundTrip(ofMillis(500))).as("connections are accepted but PING is never answered").isEmpty();
        }

        System.out.printf(java.util.Locale.ROOT, "TIMING %-40s inject->effect %7.1f ms   revert->restored %7.1f ms%n",
                "timeout", (at[1] - at[0]) / 1e6, (at[3] - at[2]) / 1e6);
        assertThat(proxy.toxics().getAll()).as("no toxic left").isEmpty();
        assertThat(ping.roundTrip(ofMillis(500))).as("answers again once reverted").isPresent();
    }

    @Test
    void latencyDelaysEveryAnswerUntilReverted() {
        try (ActiveFault fault = NetworkFaults.latency(redis, ofMillis(300)).inject()) {
            assertThat(ping.roundTrip(Duration.ofSeconds(2))).as("PING through the proxy takes the added latency")
                    .hasValueSatisfying(rt -> assertThat(rt).isGreaterThanOrEqualTo(ofMillis(300)));
        }

        assertThat(ping.roundTrip(ofMillis(500))).hasValueSatisfying(rt -> assertThat(rt).isLessThan(ofMillis(150)));
    }

    @Test
    void theProxyDownRefusesConnectionsUntilReverted() throws IOException {
        try (ActiveFault fault = NetworkFaults.proxyDown(redis).inject()) {
            assertThat(proxyEnabled()).as("Toxiproxy's own view: the proxy is disabled").isFalse();
            assertThat(ping.roundTrip(ofMillis(500))).isEmpty();
        }

        assertThat(proxyEnabled()).isTrue();
        assertThat(ping.roundTrip(ofMillis(500))).isPresent();
    }

    @Test
    void refusesToInjectWhenRedisDoesNotAnswerThroughTheProxyBeforehand() throws IOException {
        // Someone else's toxic, which a run of this project does not remove: Redis hangs before the fault.
        proxy.toxics().timeout("another-team-timeout", ToxicDirection.UPSTREAM, 0);
        try {
            assertThatThrownBy(() -> NetworkFaults.timeout(redis).inject().close())
                    .isInstanceOf(FaultException.class)
                    .hasMessageStartingWith("Fault 'redis-timeout' could not be injected: the target did not answer"
                            + " normally before the fault (Redis PING to " + proxied() + " through the proxy"
                            + " got no answer within 500 ms), so a fault on it would prove nothing. Nothing was"
                            + " applied.");
            assertThat(proxy.toxics().getAll()).extracting(t -> t.getName()).as("no toxic of this fault was added")
                    .containsExactly("another-team-timeout");
        } finally {
            proxy.toxics().get("another-team-timeout").remove();
        }
    }

    @Test
    void aLatencyRevertIsVerifiedOnlyByAFastAnswerNotBySilence() throws IOException {
        ActiveFault fault = NetworkFaults.latency(redis, ofMillis(300)).verifiedWithin(Duration.ofSeconds(2)).inject();
        // Something else cuts Redis off while the latency fault is active: after the revert, PING gets no answer.
        proxy.disable();
        try {
            assertThatThrownBy(fault::close)
                    .isInstanceOf(FaultException.class)
                    .hasMessageContaining("Fault 'redis-latency' could not be reverted: its revert did not show within"
                            + " 2 s; last observation (inconclusive): Redis PING to")
                    .hasMessageContaining("got no answer within 800 ms, which shows neither added latency nor its"
                            + " absence");
            assertThat(fault.state()).isEqualTo(FaultState.RESTORE_FAILED);
        } finally {
            proxy.enable();
        }

        fault.close();

        assertThat(fault.state()).as("verified by a fast answer once Redis answers again").isEqualTo(FaultState.RESTORED);
    }

    @Test
    void bytesSentThroughTheProxyRaiseTheTrafficMeter() throws Exception {
        TrafficMeter meter = NetworkFaults.timeout(redis).trafficMeter().orElseThrow();
        long before = settled(meter);

        int sent = sendPings(proxied(), 200);

        await("the meter counts " + sent + " bytes sent through the proxy").atMost(Duration.ofSeconds(5))
                .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
    }

    @Test
    void bytesSentToRedisDirectlyDoNotRaiseTheTrafficMeter() throws Exception {
        TrafficMeter meter = NetworkFaults.timeout(redis).trafficMeter().orElseThrow();
        long before = settled(meter);

        sendPings(redis.endpoint(), 200);

        await("the meter stays at " + before + " bytes while a client bypasses the proxy")
                .during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(meter::bytesSoFar, bytes -> bytes == before);
        int sent = sendPings(proxied(), 1);
        await("control: the same meter counts a PING through the proxy").atMost(Duration.ofSeconds(5))
                .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
    }

    @Test
    void theTrafficMeterCountsWhatAClientSendsWhileTheTimeoutToxicSwallowsIt() throws Exception {
        Fault timeout = NetworkFaults.timeout(redis);
        TrafficMeter meter = timeout.trafficMeter().orElseThrow();
        try (ActiveFault fault = timeout.inject()) {
            long before = settled(meter);

            int sent = sendPings(proxied(), 200);

            await("the meter counts " + sent + " bytes sent into the proxy during the timeout")
                    .atMost(Duration.ofSeconds(5))
                    .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
            assertThat(fault.state()).as("the timeout was in place all along").isEqualTo(FaultState.ACTIVE);
        }
    }

    @Test
    void theTrafficMeterCountsWhatAClientSendsIntoAPartitionBothWays() throws Exception {
        Fault partition = NetworkFaults.partition(redis);
        TrafficMeter meter = partition.trafficMeter().orElseThrow();
        assertThat(meter.countsDuringFault()).isTrue();
        try (ActiveFault fault = partition.inject()) {
            long before = settled(meter);

            int sent = sendPings(proxied(), 200);

            await("the meter counts " + sent + " bytes sent into the proxy during the partition")
                    .atMost(Duration.ofSeconds(5))
                    .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
            assertThat(fault.state()).as("the partition was in place all along").isEqualTo(FaultState.ACTIVE);
        }
    }

    @Test
    void aClientHoldingOneConnectionOpenRaisesTheTrafficMeterWhileTheConnectionStaysOpen() throws Exception {
        TrafficMeter meter = NetworkFaults.timeout(redis).trafficMeter().orElseThrow();
        try (RedisConnection pooled = RedisConnection.open(proxied())) {
            long before = settled(meter);

            int sent = pooled.ping(200);

            await("the meter counts " + sent + " bytes sent on a connection that stays open")
                    .atMost(Duration.ofSeconds(5))
                    .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
            assertThat(pooled.ping(1)).as("the connection was open all along: it still answers").isPositive();
        }
    }

    @Test
    void aClientHoldingAConnectionOpenToRedisDirectlyDoesNotRaiseTheTrafficMeter() throws Exception {
        TrafficMeter meter = NetworkFaults.timeout(redis).trafficMeter().orElseThrow();
        try (RedisConnection direct = RedisConnection.open(redis.endpoint());
             RedisConnection throughTheProxy = RedisConnection.open(proxied())) {
            long before = settled(meter);

            direct.ping(200);

            await("the meter stays at " + before + " bytes while a client with an open connection bypasses the proxy")
                    .during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(meter::bytesSoFar, bytes -> bytes == before);
            int sent = throughTheProxy.ping(1);
            await("control: the same meter counts a PING on an open connection through the proxy")
                    .atMost(Duration.ofSeconds(5))
                    .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
        }
    }

    @Test
    void bytesSentOnAnOpenConnectionWhileTheTimeoutToxicIsAppliedStillCount() throws Exception {
        Fault timeout = NetworkFaults.timeout(redis);
        TrafficMeter meter = timeout.trafficMeter().orElseThrow();
        try (RedisConnection pooled = RedisConnection.open(proxied())) {
            assertThat(pooled.ping(1)).as("precondition: the connection answers before the fault").isPositive();
            try (ActiveFault fault = timeout.inject()) {
                long before = settled(meter);

                int sent = pooled.sendPings(200);

                await("the meter counts " + sent + " bytes sent on an open connection during the timeout")
                        .atMost(Duration.ofSeconds(5))
                        .until(meter::bytesSoFar, bytes -> bytes >= before + sent);
                assertThat(fault.state()).as("the timeout was in place all along").isEqualTo(FaultState.ACTIVE);
            }
        }
    }

    @Test
    void refusesAFaultOnATargetWithoutAProxy() {
        Target direct = new Target("postgres", Protocol.POSTGRES, new Endpoint("localhost", 5432), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> NetworkFaults.timeout(direct))
                .hasMessage("fault 'postgres-timeout' needs a Toxiproxy proxy between the system under test and it"
                        + " (PROXIED_LINK), but target 'postgres' has no capability. Declare it proxied in the"
                        + " environment (ContainerSystem.proxied(..), or 'proxied' in the experiment file's compose"
                        + " section), so that the system reaches it through Toxiproxy.");
    }

    /**
     * Sends {@code count} Redis PINGs on one connection and ends it cleanly: a half-close, then whatever answers come
     * until the other side closes too, so that no reset discards what was sent.
     */
    private static int sendPings(Endpoint endpoint, int count) throws IOException {
        byte[] pings = "PING\r\n".repeat(count).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(endpoint.host(), endpoint.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(pings);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        }
        return pings.length;
    }

    /**
     * The meter once the probes of earlier steps are counted: Toxiproxy counts a connection when it ends, and until
     * then the kernel's statistics count it while it is established.
     */
    private static long settled(TrafficMeter meter) {
        AtomicLong last = new AtomicLong(-1);
        await("the traffic meter settles").during(ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> {
                    long now = meter.bytesSoFar();
                    return now == last.getAndSet(now);
                });
        return last.get();
    }

    /** Read from Toxiproxy each time: a {@link Proxy} keeps the state it was fetched with. */
    private static boolean proxyEnabled() throws IOException {
        return new ToxiproxyClient(TOXIPROXY.getHost(), TOXIPROXY.getControlPort()).getProxy("redis").isEnabled();
    }

    private static Endpoint proxied() {
        return redis.requireLink("a test").proxied();
    }

    /** One Redis connection held open across commands, as a pooled client (Jedis in a pool) holds it. */
    private record RedisConnection(Socket socket) implements AutoCloseable {

        private static final int PONG = "+PONG\r\n".length();

        static RedisConnection open(Endpoint endpoint) throws IOException {
            Socket socket = new Socket(endpoint.host(), endpoint.port());
            socket.setSoTimeout(5_000);
            return new RedisConnection(socket);
        }

        /** Sends {@code count} PINGs and reads every answer; returns the bytes sent. */
        int ping(int count) throws IOException {
            int sent = sendPings(count);
            InputStream in = socket.getInputStream();
            int expected = count * PONG;
            if (in.readNBytes(expected).length != expected) {
                throw new IOException("Redis at " + socket.getRemoteSocketAddress() + ": expected " + count
                        + " PONGs, but the connection ended first");
            }
            return sent;
        }

        /** Sends {@code count} PINGs without waiting for answers; returns the bytes sent. */
        int sendPings(int count) throws IOException {
            byte[] pings = "PING\r\n".repeat(count).getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(pings);
            socket.getOutputStream().flush();
            return pings.length;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
