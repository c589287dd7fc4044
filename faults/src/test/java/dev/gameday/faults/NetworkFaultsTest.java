package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import static java.time.Duration.ofMillis;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What NetworkFaults decides before anything is injected; no Toxiproxy needed. */
class NetworkFaultsTest {

    private static final NetworkLink LINK = new NetworkLink(new Endpoint("localhost", 8474), "broker",
            new Endpoint("localhost", 8666));

    @Test
    void refusesATimeoutOnATargetThatCanOnlyBeProbedByConnecting() {
        assertThatThrownBy(() -> NetworkFaults.timeout(target(Protocol.TCP)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fault 'broker-timeout' cannot be verified on target 'broker': the target speaks plain TCP,"
                        + " so it is probed only by connecting, and connections still open at once under a timeout"
                        + " toxic. Use NetworkFaults.proxyDown(target), whose refused connections a connect probe"
                        + " sees, or give the target its real protocol (HTTP, REDIS or POSTGRES) in the environment.");
    }

    @Test
    void refusesLatencyOnATargetThatCanOnlyBeProbedByConnecting() {
        assertThatThrownBy(() -> NetworkFaults.latency(target(Protocol.TCP), Duration.ofMillis(300)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fault 'broker-latency' cannot be verified on target 'broker': the target speaks plain TCP,"
                        + " so it is probed only by connecting, and connections still open at once under a latency"
                        + " toxic. Use NetworkFaults.proxyDown(target), whose refused connections a connect probe"
                        + " sees, or give the target its real protocol (HTTP, REDIS or POSTGRES) in the environment.");
    }

    @Test
    void allowsTheProxyDownOnAPlainTcpTarget() {
        assertThat(NetworkFaults.proxyDown(target(Protocol.TCP)).name()).isEqualTo("broker-proxy-down");
    }

    @Test
    void refusesAPartitionOnAPlainTcpTargetSinceItKeepsConnectionsOpen() {
        assertThatThrownBy(() -> NetworkFaults.partition(target(Protocol.TCP), NetworkFaults.Direction.UPSTREAM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Fault 'broker-partition-upstream' cannot be verified on target 'broker': the"
                        + " target speaks plain TCP")
                .hasMessageContaining("Use NetworkFaults.proxyDown(target)");
    }

    @Test
    void namesEachFaultAfterItsTargetAndKind() {
        Target redis = target(Protocol.REDIS);
        assertThat(List.of(NetworkFaults.timeout(redis), NetworkFaults.latency(redis, ofMillis(300), ofMillis(50)),
                NetworkFaults.bandwidth(redis, 50_000), NetworkFaults.resetPeer(redis),
                NetworkFaults.slowClose(redis, ofMillis(500)), NetworkFaults.slicer(redis, 64, ofMillis(5)),
                NetworkFaults.limitData(redis, 1_000), NetworkFaults.partition(redis),
                NetworkFaults.partition(redis, NetworkFaults.Direction.UPSTREAM),
                NetworkFaults.partition(redis, NetworkFaults.Direction.DOWNSTREAM), NetworkFaults.proxyDown(redis)))
                .extracting(Fault::name)
                .containsExactly("broker-timeout", "broker-latency", "broker-bandwidth", "broker-reset-peer",
                        "broker-slow-close", "broker-slicer", "broker-limit-data", "broker-partition",
                        "broker-partition-upstream", "broker-partition-downstream", "broker-proxy-down");
    }

    @Test
    void refusesATargetWithoutAProxyBeforeLookingAtAnythingElse() {
        Target direct = new Target("postgres", Protocol.POSTGRES, new Endpoint("localhost", 5432), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> NetworkFaults.bandwidth(direct, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fault 'postgres-bandwidth' needs a Toxiproxy proxy between the system under"
                        + " test and it (PROXIED_LINK), but target 'postgres' has no capability.");
    }

    @Test
    void refusesFaultsThatNeedALargeAnswerOnPostgres() {
        for (var fault : List.<java.util.function.Function<Target, Fault>>of(t -> NetworkFaults.bandwidth(t, 50_000),
                t -> NetworkFaults.slicer(t, 64, ofMillis(5)), t -> NetworkFaults.limitData(t, 1_000),
                t -> NetworkFaults.slowClose(t, ofMillis(500)))) {
            assertThatThrownBy(() -> fault.apply(target(Protocol.POSTGRES)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be verified on target 'broker'")
                    .hasMessageContaining("the target speaks POSTGRES. Use latency, timeout, partition, resetPeer or"
                            + " proxyDown on it instead.");
        }
    }

    @Test
    void validatesLatencyAndJitter() {
        Target redis = target(Protocol.REDIS);
        assertThatThrownBy(() -> NetworkFaults.latency(redis, Duration.ZERO))
                .hasMessage("Fault 'broker-latency': latency must be > 0, but was PT0S. Use"
                        + " NetworkFaults.latency(target, Duration.ofMillis(100)).");
        assertThatThrownBy(() -> NetworkFaults.latency(redis, ofMillis(100), ofMillis(-1)))
                .hasMessage("Fault 'broker-latency': jitter must be >= 0, but was PT-0.001S. Use Duration.ZERO for a"
                        + " steady latency.");
        assertThatThrownBy(() -> NetworkFaults.latency(redis, ofMillis(100), ofMillis(95)))
                .hasMessage("Fault 'broker-latency': latency minus jitter must be at least 10 ms, so that the smallest"
                        + " added delay can be told from a normal round trip, but latency was 100 ms and jitter 95 ms."
                        + " Use a larger latency or a smaller jitter.");
        assertThat(NetworkFaults.latency(redis, ofMillis(300), ofMillis(100)).describe())
                .isEqualTo("Toxiproxy latency toxic on 'broker': answers delayed by 300 ms ± 100 ms");
    }

    @Test
    void validatesRatesSizesAndDelays() {
        Target redis = target(Protocol.REDIS);
        assertThatThrownBy(() -> NetworkFaults.bandwidth(redis, 1_500))
                .hasMessage("Fault 'broker-bandwidth': bytesPerSecond must be a multiple of 1000 from 1000 to 10000000"
                        + " (Toxiproxy limits in whole kB/s, and a faster limit cannot be told from an unlimited"
                        + " loopback link), but was 1500. Use for example NetworkFaults.bandwidth(target, 50_000) for"
                        + " 50 kB/s.");
        assertThatThrownBy(() -> NetworkFaults.bandwidth(redis, 0)).hasMessageContaining("but was 0.");
        assertThatThrownBy(() -> NetworkFaults.slowClose(redis, ofMillis(100)))
                .hasMessage("Fault 'broker-slow-close': delay must be at least 200 ms, so that half of it can be told"
                        + " from a normal close, but was 100 ms. Use for example NetworkFaults.slowClose(target,"
                        + " Duration.ofSeconds(2)).");
        assertThatThrownBy(() -> NetworkFaults.slicer(redis, 0, ofMillis(5)))
                .hasMessage("Fault 'broker-slicer': averageSliceBytes must be from 1 to 16384, but was 0. Use for"
                        + " example NetworkFaults.slicer(target, 64, Duration.ofMillis(5)).");
        assertThatThrownBy(() -> NetworkFaults.slicer(redis, 64, Duration.ofNanos(999_999)))
                .hasMessageStartingWith("Fault 'broker-slicer': delay must be from 1 ms to 10 s");
        assertThatThrownBy(() -> NetworkFaults.limitData(redis, 0))
                .hasMessage("Fault 'broker-limit-data': bytes must be from 1 to 4000000, but was 0. Use for example"
                        + " NetworkFaults.limitData(target, 10_000).");
    }

    @Test
    void theMinimumDurationCoversTwoProbesOfTheFault() {
        assertThat(NetworkFaults.timeout(target(Protocol.REDIS)).minimumDuration())
                .as("two probe timeouts of 500 ms").isEqualTo(Duration.ofSeconds(1));
        assertThat(NetworkFaults.partition(target(Protocol.REDIS)).minimumDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(NetworkFaults.latency(target(Protocol.REDIS), Duration.ofMillis(800), Duration.ofMillis(200))
                .minimumDuration()).as("two probes that each wait the largest delay plus 500 ms")
                .isEqualTo(Duration.ofMillis(3_000));
        assertThat(NetworkFaults.latency(target(Protocol.REDIS), Duration.ofMillis(800)).minimumDuration())
                .as("two probes that each wait the latency plus 500 ms").isEqualTo(Duration.ofMillis(2_600));
    }

    @Test
    void aToxiproxyFaultHasATrafficMeterOnItsProxyWhenTheLinkReadsOpenConnections() {
        NetworkLink live = new NetworkLink(LINK.toxiproxyApi(), LINK.proxyName(), LINK.proxied(), Optional.of(() -> 0L));

        assertThat(NetworkFaults.timeout(target(Protocol.REDIS, live)).trafficMeter())
                .hasValueSatisfying(meter -> assertThat(meter.describe()).isEqualTo("bytes sent into Toxiproxy proxy"
                        + " 'broker' (toxiproxy_proxy_received_bytes_total, upstream, http://localhost:8474/metrics;"
                        + " plus bytes_received of its open connections)"));
    }

    @Test
    void onlyTheProxyDownsMeterSaysItSeesNoTrafficDuringTheFault() {
        NetworkLink live = new NetworkLink(LINK.toxiproxyApi(), LINK.proxyName(), LINK.proxied(), Optional.of(() -> 0L));
        Target redis = target(Protocol.REDIS, live);

        assertThat(NetworkFaults.proxyDown(redis).trafficMeter())
                .as("a disabled proxy refuses connections: only the baseline can show the system uses it")
                .hasValueSatisfying(meter -> assertThat(meter.countsDuringFault()).isFalse());
        assertThat(List.of(NetworkFaults.timeout(redis), NetworkFaults.partition(redis),
                NetworkFaults.partition(redis, NetworkFaults.Direction.UPSTREAM), NetworkFaults.resetPeer(redis),
                NetworkFaults.bandwidth(redis, 50_000)))
                .as("the meter counts what enters the proxy before any toxic acts on it")
                .allSatisfy(fault -> assertThat(fault.trafficMeter())
                        .hasValueSatisfying(meter -> assertThat(meter.countsDuringFault()).isTrue()));
    }

    @Test
    void aToxiproxyFaultHasNoTrafficMeterWhenTheLinkCannotReadOpenConnections() {
        assertThat(NetworkFaults.timeout(target(Protocol.REDIS)).trafficMeter())
                .as("Toxiproxy's counter alone misses pooled connections, which never end during a run").isEmpty();
    }

    private static Target target(Protocol protocol) {
        return target(protocol, LINK);
    }

    private static Target target(Protocol protocol, NetworkLink link) {
        return new Target("broker", protocol, new Endpoint("localhost", 9092), Optional.of(link), Optional.empty());
    }
}
