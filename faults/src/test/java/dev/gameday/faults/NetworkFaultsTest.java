package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import java.time.Duration;
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
                        + " toxic. Use NetworkFaults.partition(target), whose refused connections a connect probe"
                        + " sees, or give the target its real protocol (HTTP, REDIS or POSTGRES) in the environment.");
    }

    @Test
    void refusesLatencyOnATargetThatCanOnlyBeProbedByConnecting() {
        assertThatThrownBy(() -> NetworkFaults.latency(target(Protocol.TCP), Duration.ofMillis(300)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fault 'broker-latency' cannot be verified on target 'broker': the target speaks plain TCP,"
                        + " so it is probed only by connecting, and connections still open at once under a latency"
                        + " toxic. Use NetworkFaults.partition(target), whose refused connections a connect probe"
                        + " sees, or give the target its real protocol (HTTP, REDIS or POSTGRES) in the environment.");
    }

    @Test
    void allowsAPartitionOnAPlainTcpTarget() {
        assertThat(NetworkFaults.partition(target(Protocol.TCP)).name()).isEqualTo("broker-partition");
    }

    @Test
    void theMinimumDurationCoversTwoProbesOfTheFault() {
        assertThat(NetworkFaults.timeout(target(Protocol.REDIS)).minimumDuration())
                .as("two probe timeouts of 500 ms").isEqualTo(Duration.ofSeconds(1));
        assertThat(NetworkFaults.partition(target(Protocol.REDIS)).minimumDuration()).isEqualTo(Duration.ofSeconds(1));
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
    void aPartitionsMeterSaysItSeesNoTrafficDuringTheFault() {
        NetworkLink live = new NetworkLink(LINK.toxiproxyApi(), LINK.proxyName(), LINK.proxied(), Optional.of(() -> 0L));

        assertThat(NetworkFaults.partition(target(Protocol.REDIS, live)).trafficMeter())
                .as("a disabled proxy refuses connections: only the baseline can show the system uses it")
                .hasValueSatisfying(meter -> assertThat(meter.countsDuringFault()).isFalse());
        assertThat(NetworkFaults.timeout(target(Protocol.REDIS, live)).trafficMeter())
                .hasValueSatisfying(meter -> assertThat(meter.countsDuringFault()).isTrue());
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
