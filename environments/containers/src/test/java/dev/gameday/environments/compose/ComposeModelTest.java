package dev.gameday.environments.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.compose.ComposeModel.Declaration;
import dev.gameday.environments.compose.ComposeModel.Derived;
import dev.gameday.environments.compose.ComposeModel.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The derived compose model, on the real output of {@code docker compose config --format json} (v2.40.3) for
 * examples/compose-system ({@code compose-system.json}) and for a file with networks of its own, aliases, a volume, an
 * external network and a {@code network_mode: service:web} sidecar ({@code shop.json}). No Docker.
 */
class ComposeModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("/tmp/gameday-compose-run");
    private static final Map<String, String> LABELS =
            Map.of("dev.gameday.environment", "test", "dev.gameday.run", "r1");
    private static final String TOXIPROXY = "gameday.local/shopify/toxiproxy:2.12.0";

    /** The engine has the local images and the shop's own images; nothing else. */
    private static final Set<String> IN_ENGINE = Set.of("gameday.local/redis:7.0", "gameday.local/postgres:15",
            "shop/web:1.2", "shop/sidecar:1");

    private final List<String> asked = new ArrayList<>();
    private final ComposeModel.ImageResolver images = new ComposeModel.ImageResolver() {
        @Override
        public boolean exists(String image) {
            asked.add(image);
            return IN_ENGINE.contains(image);
        }

        @Override
        public Optional<String> localNameFor(String image) {
            return image.contains("/") && !image.startsWith("library/") ? Optional.empty()
                    : Optional.of("gameday.local/" + image);
        }
    };

    @Test
    void proxiedServiceLeavesItsNetworkAndTheProxyTakesItsNameThere() throws IOException {
        Derived derived = derive("compose-system.json", entry("quotes", 8000), proxied("redis", 6379));
        JsonNode services = derived.model().get("services");

        assertThat(derived.services()).containsExactly("quotes", "redis", "gameday-toxiproxy-redis");
        assertThat(services.at("/redis/networks")).isEqualTo(json("""
                {"gameday-redis": {"aliases": ["gameday-upstream-redis"]}}"""));
        JsonNode proxy = services.get("gameday-toxiproxy-redis");
        assertThat(proxy.get("networks")).isEqualTo(json("""
                {"default": {"aliases": ["redis"]}, "gameday-redis": {}}"""));
        assertThat(proxy.get("image").asText()).isEqualTo(TOXIPROXY);
        assertThat(proxy.get("pull_policy").asText()).isEqualTo("never");
        assertThat(proxy.get("command")).isEqualTo(json("""
                ["-host=0.0.0.0", "-proxy-metrics", "-config", "/gameday/toxiproxy.json"]"""));
        assertThat(proxy.get("volumes")).isEqualTo(json("""
                [{"type": "bind", "source": "/tmp/gameday-compose-run/toxiproxy-redis.json",
                  "target": "/gameday/toxiproxy.json", "read_only": true}]"""));
        assertThat(proxy.at("/healthcheck/test").toString()).contains("/toxiproxy-cli", "inspect", "redis");
        assertThat(derived.toxiproxyConfigs()).containsOnlyKeys(WORK.resolve("toxiproxy-redis.json"));
        assertThat(json(derived.toxiproxyConfigs().get(WORK.resolve("toxiproxy-redis.json")))).isEqualTo(json("""
                [{"name": "redis", "listen": "0.0.0.0:6379", "upstream": "gameday-upstream-redis:6379",
                  "enabled": true}]"""));

        // The service that depends on redis waits for redis as before, and for its proxy.
        assertThat(services.at("/quotes/depends_on")).isEqualTo(json("""
                {"redis": {"condition": "service_healthy", "required": true},
                 "gameday-toxiproxy-redis": {"condition": "service_healthy", "required": true}}"""));
        // Networks: the private one is declared, the default one loses the user's project name.
        assertThat(derived.model().get("networks")).isEqualTo(json("""
                {"default": {"ipam": {}}, "gameday-redis": {}}"""));
        assertThat(derived.model().has("name")).isFalse();
    }

    @Test
    void publishesOnlyWhatTheHarnessNeedsOnLoopbackWithEphemeralPorts() throws IOException {
        Derived derived = derive("compose-system.json", entry("quotes", 8000), proxied("redis", 6379));
        JsonNode services = derived.model().get("services");

        assertThat(services.at("/quotes/ports")).isEqualTo(json("""
                ["127.0.0.1::8000"]""")); // the file's fixed 8000:8000 is gone: runs never clash on host ports
        assertThat(services.at("/redis/ports")).isEqualTo(json("""
                ["127.0.0.1::6379"]"""));
        assertThat(services.at("/gameday-toxiproxy-redis/ports")).isEqualTo(json("""
                ["127.0.0.1::8474", "127.0.0.1::6379"]"""));
    }

    @Test
    void labelsEveryServiceAndNeverPulls() throws IOException {
        Derived derived = derive("compose-system.json", entry("quotes", 8000), proxied("redis", 6379));
        JsonNode services = derived.model().get("services");

        for (String service : derived.services()) {
            assertThat(services.at("/" + service + "/labels/dev.gameday.run").asText()).as(service).isEqualTo("r1");
            assertThat(services.at("/" + service + "/labels/dev.gameday.environment").asText()).isEqualTo("test");
        }
        assertThat(services.at("/quotes/pull_policy").asText()).isEqualTo("build");
        assertThat(services.at("/quotes/build/pull").asBoolean(true)).isFalse();
        assertThat(services.at("/quotes/build/context").asText()).endsWith("examples/compose-system/app");
        assertThat(services.at("/redis/pull_policy").asText()).isEqualTo("never");
        assertThat(services.at("/redis/image").asText()).isEqualTo("gameday.local/redis:7.0");
        assertThat(derived.imageChanges()).containsExactly(Map.entry("redis:7.0", "gameday.local/redis:7.0"));
    }

    @Test
    void userDeclaredNetworksAndAliasesGoToTheProxy() throws IOException {
        Derived derived = derive("shop.json", entry("web", 8080), proxied("db", 5432), target("cache", 6379));
        JsonNode model = derived.model();
        JsonNode services = model.get("services");

        assertThat(services.at("/db/networks")).isEqualTo(json("""
                {"gameday-db": {"aliases": ["gameday-upstream-db"]}}"""));
        assertThat(services.at("/gameday-toxiproxy-db/networks")).isEqualTo(json("""
                {"back": {"aliases": ["db", "database", "pg"]}, "gameday-db": {}}"""));
        assertThat(services.at("/gameday-toxiproxy-db/ports")).isEqualTo(json("""
                ["127.0.0.1::8474", "127.0.0.1::5432"]"""));
        assertThat(services.at("/web/depends_on").has("gameday-toxiproxy-db")).isTrue();
        assertThat(services.at("/cache/depends_on").isMissingNode()).isTrue();
        // Services not proxied keep their networks; a target without proxy is published, nothing else is.
        assertThat(services.at("/cache/networks")).isEqualTo(json("""
                {"back": null, "shared": null}"""));
        assertThat(services.at("/cache/ports")).isEqualTo(json("""
                ["127.0.0.1::6379"]"""));
        assertThat(services.at("/sidecar/ports").isMissingNode()).isTrue();
        assertThat(services.at("/web/container_name").isMissingNode()).isTrue();
        // The project's own networks and volumes lose the user's project name; the external network keeps its own.
        assertThat(model.get("networks")).isEqualTo(json("""
                {"back": {"ipam": {}}, "front": {"ipam": {}}, "gameday-db": {},
                 "shared": {"name": "corp-shared", "ipam": {}, "external": true}}"""));
        assertThat(model.get("volumes")).isEqualTo(json("""
                {"data": {}}"""));
        // Literal dollars stay escaped as 'config' printed them, for Compose to read them once more.
        assertThat(services.at("/db/environment/POSTGRES_PASSWORD").asText()).isEqualTo("pa$$word");
        assertThat(services.at("/db/image").asText()).isEqualTo("gameday.local/postgres:15");
    }

    @Test
    void derivedModelIsWrittenAsYaml() throws IOException {
        Derived derived = derive("compose-system.json", entry("quotes", 8000), proxied("redis", 6379));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        String text = yaml.writeValueAsString(derived.model());

        assertThat(yaml.readTree(text)).isEqualTo(derived.model());
        assertThat(text).contains("gameday-toxiproxy-redis:", "gameday-upstream-redis");
    }

    @Test
    void unknownServiceListsTheServicesThereAre() {
        assertThatThrownBy(() -> derive("compose-system.json", entry("quotes", 8000), proxied("cache", 6379)))
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("expected a service 'cache' (declared as proxied(\"cache\", REDIS, 6379))")
                .hasMessageContaining("the file has only [quotes, redis]")
                .hasMessageContaining("Use one of those names");
    }

    @Test
    void missingImageSaysHowToProvideIt() {
        // No local stand-in for a name with a namespace in this resolver, and shop/worker:3 is not in the engine.
        JsonNode model = json("""
                {"name": "p", "services": {"api": {"image": "shop/web:1.2"}, "worker": {"image": "shop/worker:3"}}}""");
        assertThatThrownBy(() -> ComposeModel.derive(model, List.of(Path.of("docker-compose.yml")),
                List.of(entry("api", 8080)), LABELS, WORK, images, TOXIPROXY))
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("service 'worker' runs image 'shop/worker:3', which is not in the local Docker"
                        + " engine, and Gameday never pulls")
                .hasMessageContaining("docker build -t shop/worker:3")
                .hasMessageContaining("'build:' section");
    }

    @Test
    void missingOfficialImageNamesItsLocalStandInAndTheBuilder() {
        JsonNode model = json("""
                {"name": "p", "services": {"api": {"image": "shop/web:1.2"}, "mq": {"image": "rabbitmq:3"}}}""");
        assertThatThrownBy(() -> ComposeModel.derive(model, List.of(Path.of("docker-compose.yml")),
                List.of(entry("api", 8080)), LABELS, WORK, images, TOXIPROXY))
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("image 'rabbitmq:3', which is not in the local Docker engine (nor is its local"
                        + " stand-in 'gameday.local/rabbitmq:3')")
                .hasMessageContaining("scripts/build-images.sh");
        assertThat(asked).containsExactly("shop/web:1.2", "rabbitmq:3", "gameday.local/rabbitmq:3");
    }

    @Test
    void serviceSharedThroughNetworkModeCannotBeProxied() {
        assertThatThrownBy(() -> derive("shop.json", entry("db", 5432), proxied("web", 8080)))
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("service 'web' cannot be proxied: service 'sidecar' shares its network"
                        + " namespace (network_mode: service:web)")
                .hasMessageContaining("Proxy another service");
    }

    @Test
    void serviceWithoutNetworkOfItsOwnCannotBeDeclared() {
        assertThatThrownBy(() -> derive("shop.json", entry("web", 8080), target("sidecar", 9000)))
                .isInstanceOf(EnvironmentUnavailableException.class)
                .hasMessageContaining("service 'sidecar' (declared as target(\"sidecar\", TCP, 9000)) has network_mode"
                        + " 'service:web'")
                .hasMessageContaining("Declare the service whose network it shares instead");
    }

    @Test
    void entryPointThatIsAlsoProxiedGetsOneTargetAndBothPorts() throws IOException {
        Derived derived = derive("compose-system.json", entry("quotes", 8000),
                new Declaration("quotes", Protocol.HTTP, 8000, Role.PROXIED));
        JsonNode services = derived.model().get("services");

        assertThat(services.at("/quotes/ports")).isEqualTo(json("""
                ["127.0.0.1::8000"]"""));
        assertThat(services.at("/gameday-toxiproxy-quotes/ports")).isEqualTo(json("""
                ["127.0.0.1::8474", "127.0.0.1::8000"]"""));
        // Off its network, the entry point still reaches what it depends on, through a network of its own.
        assertThat(services.at("/quotes/networks")).isEqualTo(json("""
                {"gameday-quotes": {"aliases": ["gameday-upstream-quotes"]}, "gameday-quotes-out": {}}"""));
        assertThat(services.at("/redis/networks")).isEqualTo(json("""
                {"default": null, "gameday-quotes-out": {"aliases": ["redis"]}}"""));
        assertThat(derived.model().get("networks").has("gameday-quotes-out")).isTrue();
    }

    @Test
    void proxiedEntryPointReachesAProxiedDependencyThroughThatDependencysProxy() throws IOException {
        Derived derived = derive("compose-system.json", entry("quotes", 8000),
                new Declaration("quotes", Protocol.HTTP, 8000, Role.PROXIED), proxied("redis", 6379));
        JsonNode services = derived.model().get("services");

        assertThat(services.at("/quotes/networks")).isEqualTo(json("""
                {"gameday-quotes": {"aliases": ["gameday-upstream-quotes"]}, "gameday-quotes-out": {}}"""));
        assertThat(services.at("/gameday-toxiproxy-redis/networks")).isEqualTo(json("""
                {"default": {"aliases": ["redis"]}, "gameday-redis": {},
                 "gameday-quotes-out": {"aliases": ["redis"]}}"""));
        assertThat(services.at("/redis/networks")).isEqualTo(json("""
                {"gameday-redis": {"aliases": ["gameday-upstream-redis"]}}"""));
        assertThat(services.at("/gameday-toxiproxy-quotes/networks")).isEqualTo(json("""
                {"default": {"aliases": ["quotes"]}, "gameday-quotes": {}}"""));
    }

    private Derived derive(String fixture, Declaration... declarations) throws IOException {
        return ComposeModel.derive(fixture(fixture), List.of(Path.of("docker-compose.yml")), List.of(declarations),
                LABELS, WORK, images, TOXIPROXY);
    }

    private static Declaration entry(String service, int port) {
        return new Declaration(service, Protocol.HTTP, port, Role.ENTRY_POINT);
    }

    private static Declaration proxied(String service, int port) {
        return new Declaration(service, Protocol.REDIS, port, Role.PROXIED);
    }

    private static Declaration target(String service, int port) {
        return new Declaration(service, Protocol.TCP, port, Role.TARGET);
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = ComposeModelTest.class.getResourceAsStream(name)) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
