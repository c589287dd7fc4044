package dev.gameday.environments.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Protocol;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the builder checks on its own, before Docker is asked anything. */
class ComposeEnvironmentTest {

    private static final Path FILE = Path.of("docker-compose.yml");

    @Test
    void targetNamesAreKnownBeforeAnythingStartsEntryPointFirst() {
        ComposeEnvironment.Builder builder = ComposeEnvironment.builder(FILE)
                .proxied("redis", Protocol.REDIS, 6379)
                .target("worker", Protocol.TCP, 9000)
                .entryPoint("quotes", 8000)
                .proxied("quotes", Protocol.HTTP, 8000);

        assertThat(builder.targetNames()).containsExactly("quotes", "redis", "worker");
    }

    @Test
    void serviceNamesThatCannotBeTargetNamesAreRejected() {
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).entryPoint("Quotes_API", 8000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service 'Quotes_API' cannot be a target")
                .hasMessageContaining("lower-case letters, digits and dashes")
                .hasMessageContaining("Rename the service");
    }

    @Test
    void portsMustBeBetween1And65535() {
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).proxied("redis", Protocol.REDIS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Compose environment: port of service 'redis' must be between 1 and 65535 (the port"
                        + " inside its container), but was 0.");
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).entryPoint("quotes", 65_536))
                .hasMessageContaining("but was 65536");
    }

    @Test
    void eachServiceIsDeclaredOnce() {
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).proxied("redis", Protocol.REDIS, 6379)
                .proxied("redis", Protocol.REDIS, 6380))
                .hasMessageContaining("already proxied on port 6379; one proxied port per service");
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).entryPoint("quotes", 8000).entryPoint("web", 80))
                .hasMessageContaining("the entry point is already 'quotes' port 8000");
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).entryPoint("quotes", 8000)
                .target("quotes", Protocol.HTTP, 8000))
                .hasMessageContaining("service 'quotes' is already a target");
    }

    @Test
    void startWithoutEntryPointSaysWhatIsMissing() {
        assertThatThrownBy(() -> ComposeEnvironment.builder(FILE).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declare the entry point, where load goes, with entryPoint(service, port)");
    }

    @Test
    void missingComposeFileFailsBeforeAnythingStarts() {
        assertThatThrownBy(() -> ComposeEnvironment.builder(Path.of("no-such-dir", "docker-compose.yml"))
                .entryPoint("quotes", 8000).start())
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("no-such-dir/docker-compose.yml: expected a file, but there is none")
                .hasMessageContaining("Pass the path of your docker-compose.yml");
    }

    @Test
    void leftoverOwnersAreReadFromDockerPsLines() {
        String ps = String.join("\n",
                "gameday-0123456789ab\t4242\t1764500000000\t/tmp/gameday-compose-0123456789ab-1",
                "gameday-0123456789ab\t4242\t1764500000000\t/tmp/gameday-compose-0123456789ab-1",
                "someone-else\t1\t1\t/tmp/x",
                "gameday-broken\tnot-a-pid\t1\t");

        assertThat(Leftovers.owners(ps)).containsOnlyKeys("gameday-0123456789ab");
        Leftovers.Owner owner = Leftovers.owners(ps).get("gameday-0123456789ab");
        assertThat(owner.pid()).isEqualTo(4242);
        assertThat(owner.workDir()).isEqualTo("/tmp/gameday-compose-0123456789ab-1");
    }

    @Test
    void anOwnerIsAliveOnlyWithItsOwnStartTime() {
        ProcessHandle self = ProcessHandle.current();
        String started = ComposeEnvironment.startedMillis(self).map(String::valueOf).orElse("unknown");

        assertThat(Leftovers.alive(new Leftovers.Owner("gameday-x", self.pid(), started, ""))).isTrue();
        assertThat(Leftovers.alive(new Leftovers.Owner("gameday-x", self.pid(), "1", ""))).isFalse(); // pid reused
        assertThat(Leftovers.alive(new Leftovers.Owner("gameday-x", Long.MAX_VALUE / 2, started, ""))).isFalse();
    }
}
