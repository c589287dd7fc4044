package dev.gameday.environments.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Protocol;
import dev.gameday.environments.images.Images;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The builder's checks, none of which needs Docker: each fails in the builder method or in {@code start()} before
 * {@code start()} looks for a Docker engine or creates anything.
 */
class ContainerSystemTest {

    private static final DockerImageName QUOTES = DockerImageName.parse("example/quotes:1");

    private static ContainerSystem.Builder quotes() {
        return ContainerSystem.named("quotes")
                .service("redis", Images.REDIS).port(6379, Protocol.REDIS).waitingForLog(".*Ready to accept connections.*")
                .service("quotes", QUOTES).port(8000, Protocol.HTTP).env("REDIS_HOST", "redis")
                        .memory(256 * ContainerSystem.MB).cpus(1.0).dependsOn("redis");
    }

    @Test
    void targetNamesPutTheEntryPointFirstThenTheOthersAsDeclaredLeavingOutServicesWithoutAPort() {
        ContainerSystem.Builder builder = quotes()
                .service("worker", QUOTES).command("worker")
                .service("postgres", Images.POSTGRES).port(5432, Protocol.POSTGRES)
                .proxied("redis")
                .entryPoint("quotes", "/health");

        assertThat(builder.targetNames()).containsExactly("quotes", "redis", "postgres");
    }

    @Test
    void aServiceNameMustBeATargetName() {
        assertThatThrownBy(() -> ContainerSystem.named("quotes").service("Redis_1", Images.REDIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service name: expected lower-case letters, digits and dashes, starting with a letter or"
                        + " digit ([a-z0-9][a-z0-9-]*: it is the target's name and a host name on the system's"
                        + " network), but found 'Redis_1'.");
        assertThatThrownBy(() -> ContainerSystem.named("Quotes System"))
                .hasMessageContaining("but found 'Quotes System'");
    }

    @Test
    void aNameIsDeclaredOnce() {
        assertThatThrownBy(() -> quotes().service("redis", Images.REDIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service 'redis' is declared twice in system 'quotes'. Expected one declaration per name;"
                        + " give the second service another name.");
    }

    @Test
    void toxiproxyAndAProxiedServicesUpstreamNameAreTaken() {
        assertThatThrownBy(() -> quotes().service("toxiproxy", Images.TOXIPROXY))
                .hasMessageStartingWith("Service name 'toxiproxy' is taken by the system's own Toxiproxy container");
        assertThatThrownBy(() -> quotes().service("redis-upstream", Images.REDIS).port(6379, Protocol.REDIS)
                .proxied("redis").entryPoint("quotes").start())
                .hasMessage("System 'quotes' cannot start: service 'redis-upstream' clashes with the name under which"
                        + " proxied service 'redis' answers behind its proxy. Rename 'redis-upstream'.");
    }

    @Test
    void unknownNamesAreAllReportedAtStartBeforeAnythingStarts() {
        ContainerSystem.Builder builder = quotes()
                .service("api", QUOTES).port(8080, Protocol.HTTP).dependsOn("quotes", "exchange")
                .proxied("redis", "postgres")
                .entryPoint("web", "/health");

        assertThatThrownBy(builder::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("System 'quotes' cannot start (3 problems):"
                        + "\n  - service 'api' dependsOn 'exchange', which is not declared; expected one of [redis,"
                        + " quotes, api]. Declare it, or fix the name."
                        + "\n  - proxied('postgres') names no declared service; expected one of [redis, quotes, api]."
                        + " Declare it, or fix the name."
                        + "\n  - entry point 'web' names no declared service; expected one of [redis, quotes, api]."
                        + " Declare it, or fix the name.");
    }

    @Test
    void aProxiedServiceNeedsAPort() {
        ContainerSystem.Builder builder = quotes().service("worker", QUOTES).proxied("worker").entryPoint("quotes");

        assertThatThrownBy(builder::start)
                .hasMessage("System 'quotes' cannot start: proxied service 'worker' has no port, so there is nothing to"
                        + " proxy. Declare its port with port(<port>, <protocol>).");
    }

    @Test
    void theEntryPointIsRequiredHasAPortAndAReadinessPathOnlyOverHttp() {
        assertThatThrownBy(() -> quotes().start())
                .hasMessage("System 'quotes' cannot start: expected an entry point, where load goes, found none."
                        + " Declare it with entryPoint(name, readinessPath).");
        assertThatThrownBy(() -> quotes().service("worker", QUOTES).entryPoint("worker").start())
                .hasMessageContaining("entry point 'worker' has no port for load to go to");
        assertThatThrownBy(() -> quotes().entryPoint("redis", "/health").start())
                .hasMessageContaining("entry point 'redis' has a readiness path, /health, but speaks REDIS, expected"
                        + " HTTP");
        assertThatThrownBy(() -> quotes().entryPoint("quotes", "health"))
                .hasMessage("Entry point 'quotes' readiness: expected an absolute HTTP path such as /health, but found"
                        + " 'health'.");
        assertThatThrownBy(() -> quotes().entryPoint("quotes", "/health").entryPoint("redis"))
                .hasMessageContaining("has entry point 'quotes' already; expected one entry point, found a second,"
                        + " 'redis'");
    }

    @Test
    void aCycleInDependsOnIsNamed() {
        ContainerSystem.Builder builder = ContainerSystem.named("loop")
                .service("a", QUOTES).port(1, Protocol.TCP).dependsOn("b")
                .service("b", QUOTES).dependsOn("c")
                .service("c", QUOTES).dependsOn("b")
                .entryPoint("a");

        assertThatThrownBy(builder::start)
                .hasMessage("System 'loop' cannot start: dependsOn forms a cycle: b -> c -> b. Expected dependencies"
                        + " that lead back to no service; remove one dependsOn of this cycle.");
    }

    @Test
    void limitsAndSettingsAreCheckedAsTheyAreGiven() {
        ContainerSystem.Service service = ContainerSystem.named("quotes").service("quotes", QUOTES);
        int cpus = Runtime.getRuntime().availableProcessors();

        assertThatThrownBy(() -> service.memory(256))
                .hasMessageStartingWith("Service 'quotes': memory limit must be between 6 MB (Docker's minimum) and ")
                .hasMessageEndingWith(" MB (this machine's memory), but was 256 bytes. Give bytes, for example"
                        + " memory(256 * ContainerSystem.MB).");
        assertThatThrownBy(() -> service.memory(Long.MAX_VALUE)).hasMessageContaining("this machine's memory");
        assertThatThrownBy(() -> service.cpus(cpus + 1))
                .hasMessage("Service 'quotes': CPU limit must be between 0.01 and the " + cpus + " CPUs of this"
                        + " machine, but was " + (double) (cpus + 1) + ".");
        assertThatThrownBy(() -> service.cpus(0)).hasMessageContaining("but was 0.0");
        assertThatThrownBy(() -> service.port(0, Protocol.HTTP))
                .hasMessage("Service 'quotes': port must be between 1 and 65535, but was 0. Give the port inside the"
                        + " container, not a mapped one.");
        assertThatThrownBy(() -> service.port(8000, Protocol.HTTP).port(8001, Protocol.HTTP))
                .hasMessageStartingWith("Service 'quotes': has port 8000 already; a service has one port");
        assertThatThrownBy(() -> service.env("REDIS HOST", "redis"))
                .hasMessageContaining("environment variable name must be letters, digits and underscores");
        assertThatThrownBy(() -> service.dependsOn("quotes")).hasMessageContaining("cannot depend on itself");
        assertThatThrownBy(() -> service.waitingForLog("Ready (")).hasMessageContaining("is not one");
        assertThatThrownBy(() -> service.startupTimeout(Duration.ZERO))
                .hasMessage("Service 'quotes': startup timeout must be above 0 and at most 1 hour, but was PT0S.");
        assertThatThrownBy(() -> service.command()).hasMessageContaining("command must have at least one part");
        assertThatThrownBy(() -> service.waitingForHttp("health")).hasMessageContaining("but found 'health'");
    }

    @Test
    void anHttpWaitNeedsAPort() {
        assertThatThrownBy(() -> quotes().service("worker", QUOTES).waitingForHttp("/health").entryPoint("quotes")
                .start())
                .hasMessageContaining("service 'worker' waits for an HTTP path but has no port to ask it on");
    }

    @Test
    void aContainerGivenReadyIsATargetLikeAnyOther() {
        GenericContainer<?> postgres = new GenericContainer<>(Images.POSTGRES);
        ContainerSystem.Builder builder = ContainerSystem.named("shop").service("postgres", postgres)
                .port(5432, Protocol.POSTGRES).entryPoint("postgres");

        assertThat(builder.targetNames()).containsExactly("postgres");
    }

    @Test
    void aRestartPolicyNeedsZeroOrMoreRetries() {
        assertThatThrownBy(() -> ContainerSystem.named("quotes").service("quotes", QUOTES).restartOnFailure(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Service 'quotes': the most restarts on failure must be 0 (no limit) or more, but was -1.");
    }
}
