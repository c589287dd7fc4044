package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.Reverters;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What DockerFaults decides before anything is injected: no Docker engine is asked (factories do no I/O). */
class DockerFaultsTest {

    private static final Target REDIS = new Target("redis", Protocol.REDIS, new Endpoint("localhost", 6379),
            Optional.empty(), Optional.of("0123456789abcdef"));

    @Test
    void namesEachFaultAfterItsTargetAndSaysWhetherItIsAnEvent() {
        assertThat(DockerFaults.kill(REDIS).name()).isEqualTo("redis-kill");
        assertThat(DockerFaults.kill(REDIS).isEvent()).isTrue();
        assertThat(DockerFaults.oomKill(REDIS).name()).isEqualTo("redis-oom-kill");
        assertThat(DockerFaults.oomKill(REDIS).isEvent()).isTrue();
        assertThat(DockerFaults.restart(REDIS).isEvent()).isTrue();
        assertThat(DockerFaults.pause(REDIS).name()).isEqualTo("redis-pause");
        assertThat(DockerFaults.pause(REDIS).isEvent()).isFalse();
        assertThat(DockerFaults.cpuThrottle(REDIS, 0.2).isEvent()).isFalse();
        assertThat(DockerFaults.cpuThrottle(REDIS, 0.2).describe()).contains("limited to 0.20 CPUs");
        assertThat(DockerFaults.memoryPressure(REDIS, 64L * 1024 * 1024).describe()).startsWith("64 MB held");
    }

    @Test
    void refusesATargetWithoutAContainerBeforeAnythingStarts() {
        Target remote = new Target("redis", Protocol.REDIS, new Endpoint("localhost", 6379), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> DockerFaults.kill(remote))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fault 'redis-kill' needs a container the harness controls through the Docker"
                        + " API (CONTAINER), but target 'redis' has");
    }

    @Test
    void refusesAPauseOrRestartThatAConnectProbeCouldNotVerify() {
        Target tcp = new Target("broker", Protocol.TCP, new Endpoint("localhost", 9092), Optional.empty(),
                Optional.of("0123456789abcdef"));

        assertThatThrownBy(() -> DockerFaults.pause(tcp)).hasMessageStartingWith("Fault 'broker-pause' cannot be"
                + " verified on target 'broker': it speaks plain TCP");
        assertThatThrownBy(() -> DockerFaults.restart(tcp)).hasMessageContaining("real protocol");
        assertThat(DockerFaults.kill(tcp).name()).isEqualTo("broker-kill");
    }

    @Test
    void refusesLimitsDockerWouldRefuse() {
        assertThatThrownBy(() -> DockerFaults.cpuThrottle(REDIS, 0.001))
                .hasMessage("Fault 'redis-cpu-throttle': expected a CPU limit from 0.01 (Docker's minimum), but found"
                        + " 0.001. Use DockerFaults.cpuThrottle(target, 0.2).");
        assertThatThrownBy(() -> DockerFaults.cpuThrottle(REDIS, Double.NaN)).hasMessageContaining("found NaN");
        assertThatThrownBy(() -> DockerFaults.memoryPressure(REDIS, 1000))
                .hasMessage("Fault 'redis-memory-pressure': expected at least 1 MB of memory to take, but found 1000"
                        + " bytes. Give bytes, for example 128 * 1024 * 1024L.");
    }

    @Test
    void theCleanupKnowsTheDockerBackend() {
        assertThatThrownBy(() -> Reverters.revert(AppliedState.of("nobody")))
                .hasMessageContaining("this version knows").hasMessageContaining("docker");
    }
}
