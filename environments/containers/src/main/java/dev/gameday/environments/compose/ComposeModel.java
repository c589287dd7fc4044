package dev.gameday.environments.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives, from the user's normalised compose model ({@code docker compose config --format json}), the model Gameday
 * runs: the same services, with a Toxiproxy in front of each proxied service, ports published on 127.0.0.1 only, labels
 * and nothing pulled. Pure: it never calls Docker (image checks go through {@link ImageResolver}), so it is unit tested
 * on JSON fixtures.
 *
 * <p>For each proxied service {@code S} on port {@code P}:
 * <ul>
 *   <li>{@code S} leaves each of its networks (the default network if it names none) and joins only
 *       {@code gameday-S}, with the alias {@code gameday-upstream-S};</li>
 *   <li>a service {@code gameday-toxiproxy-S} joins each of those networks under {@code S}'s name and {@code S}'s own
 *       aliases there, and {@code gameday-S}; its proxy {@code S} listens on {@code 0.0.0.0:P} and forwards to
 *       {@code gameday-upstream-S:P}, from a config file loaded at start (so the proxy exists before any client);</li>
 *   <li>services that depend on {@code S} also depend on its proxy being healthy.</li>
 * </ul>
 * So every other service keeps resolving {@code S:P} and reaches the proxy there. A proxied service that depends on
 * others (a proxied entry point) keeps reaching them through a network {@code gameday-S-out} of its own.
 */
final class ComposeModel {

    static final String PROXY_PREFIX = "gameday-toxiproxy-";
    static final String NETWORK_PREFIX = "gameday-";
    static final String UPSTREAM_PREFIX = "gameday-upstream-";
    static final int TOXIPROXY_API_PORT = 8474;
    static final String TOXIPROXY_CONFIG_IN_CONTAINER = "/gameday/toxiproxy.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ComposeModel() {
    }

    /** What a service is declared as. */
    enum Role { ENTRY_POINT, PROXIED, TARGET }

    /** One declared service and port, in declaration order. */
    record Declaration(String service, Protocol protocol, int port, Role role) {
    }

    /** Whether the engine has an image, and which local image stands in for an official one. */
    interface ImageResolver {
        boolean exists(String image);

        /** The {@code gameday.local/} name provided for an official image, if there is one (it may not exist). */
        Optional<String> localNameFor(String image);
    }

    /**
     * The derived model.
     *
     * @param model            the compose model to write as the derived file
     * @param toxiproxyConfigs per proxied service, the Toxiproxy config file to write (its path and content)
     * @param services         every service of the derived model
     * @param imageChanges     images the model names differently from the user's file (official name to local one)
     */
    record Derived(ObjectNode model, Map<Path, String> toxiproxyConfigs, List<String> services,
                   Map<String, String> imageChanges) {
    }

    /**
     * Derives the model Gameday runs.
     *
     * @param normalised   {@code docker compose config --format json} of the user's files
     * @param files        the user's files, for messages
     * @param declarations entry point first
     * @param labels       added to every service
     * @param workDir      where the Toxiproxy config files will be written (bind-mounted read-only)
     * @throws EnvironmentUnavailableException when a declaration does not fit the model, or an image is missing; the
     *                                         message says what was expected, what was found and what to do
     */
    static Derived derive(JsonNode normalised, List<Path> files, List<Declaration> declarations,
                          Map<String, String> labels, Path workDir, ImageResolver images, String toxiproxyImage) {
        String where = files.size() == 1 ? files.get(0).toString() : files.toString();
        if (!(normalised.get("services") instanceof ObjectNode userServices) || userServices.isEmpty()) {
            throw new EnvironmentUnavailableException("Compose file " + where + ": expected at least one service under"
                    + " 'services:', but found none. Check the file with 'docker compose -f ... config'.");
        }
        ObjectNode model = normalised.deepCopy();
        String project = model.path("name").asText("");
        model.remove("name"); // the run's own project name is given with -p
        ObjectNode services = (ObjectNode) model.get("services");
        Set<String> names = new LinkedHashSet<>();
        services.fieldNames().forEachRemaining(names::add);

        Map<String, Declaration> proxied = new LinkedHashMap<>();
        Map<String, List<Integer>> published = new LinkedHashMap<>();
        for (Declaration declaration : declarations) {
            if (!names.contains(declaration.service())) {
                throw new EnvironmentUnavailableException("Compose file " + where + ": expected a service '"
                        + declaration.service() + "' (declared as " + describe(declaration) + "), but the file has "
                        + "only " + names + ". Use one of those names, or check the override files and profiles.");
            }
            String clash = PROXY_PREFIX + declaration.service();
            if (names.contains(clash)) {
                throw new EnvironmentUnavailableException("Compose file " + where + ": service name '" + clash
                        + "' is reserved for the proxy Gameday inserts in front of '" + declaration.service()
                        + "'. Rename that service.");
            }
            ObjectNode service = (ObjectNode) services.get(declaration.service());
            String networkMode = service.path("network_mode").asText("");
            if (!networkMode.isEmpty() && !networkMode.equals("bridge") && !networkMode.equals("default")) {
                throw new EnvironmentUnavailableException("Compose file " + where + ": service '"
                        + declaration.service() + "' (declared as " + describe(declaration) + ") has network_mode '"
                        + networkMode + "', so it has no network and ports of its own that Gameday could publish"
                        + (declaration.role() == Role.PROXIED ? " or put a proxy in front of" : "")
                        + ". Declare the service whose network it shares instead, or give it its own network.");
            }
            if (declaration.role() == Role.PROXIED) {
                proxied.put(declaration.service(), declaration);
            }
            published.computeIfAbsent(declaration.service(), s -> new ArrayList<>()).add(declaration.port());
        }
        for (String name : names) {
            String networkMode = services.get(name).path("network_mode").asText("");
            if (networkMode.startsWith("service:") && proxied.containsKey(networkMode.substring("service:".length()))) {
                String shared = networkMode.substring("service:".length());
                throw new EnvironmentUnavailableException("Compose file " + where + ": service '" + shared + "' cannot"
                        + " be proxied: service '" + name + "' shares its network namespace (network_mode: service:"
                        + shared + ") and reaches it on localhost, past any proxy; and a proxy takes '" + shared
                        + "' off its networks, which would take '" + name + "' off them too. Proxy another service,"
                        + " or give '" + name + "' a network of its own and have it call '" + shared + "' by name.");
            }
        }

        Map<String, String> imageChanges = new TreeMap<>();
        for (String name : names) {
            ObjectNode service = (ObjectNode) services.get(name);
            service.remove("container_name"); // a fixed name would clash between runs and with the user's own stack
            service.remove("ports"); // published again below, on 127.0.0.1 with ephemeral host ports only
            addLabels(service, labels);
            resolveImage(where, name, service, images, imageChanges);
            List<Integer> ports = published.get(name);
            if (ports != null) {
                ArrayNode publish = service.putArray("ports");
                ports.stream().distinct().forEach(port -> publish.add("127.0.0.1::" + port));
            }
        }
        unnameScopedResources(model, "networks", project);
        unnameScopedResources(model, "volumes", project);

        Map<Path, String> configs = new LinkedHashMap<>();
        for (Declaration declaration : proxied.values()) {
            String name = declaration.service();
            ObjectNode service = (ObjectNode) services.get(name);
            ObjectNode original = service.get("networks") instanceof ObjectNode networks && !networks.isEmpty()
                    ? networks.deepCopy() : defaultNetwork();
            String privateNetwork = NETWORK_PREFIX + name;
            ensureNetworks(model, original, privateNetwork);
            service.set("networks", NODES.objectNode().set(privateNetwork,
                    NODES.objectNode().set("aliases", NODES.arrayNode().add(UPSTREAM_PREFIX + name))));

            String proxyName = PROXY_PREFIX + name;
            Path config = workDir.resolve("toxiproxy-" + name + ".json");
            configs.put(config, toxiproxyConfig(name, declaration.port()));
            services.set(proxyName, proxyService(name, declaration.port(), original, privateNetwork, config,
                    labels, toxiproxyImage));
            for (String other : names) {
                if (services.get(other).get("depends_on") instanceof ObjectNode dependsOn && dependsOn.has(name)) {
                    ObjectNode condition = NODES.objectNode();
                    condition.put("condition", "service_healthy");
                    condition.put("required", true);
                    dependsOn.set(proxyName, condition);
                }
            }
        }
        for (Declaration declaration : proxied.values()) {
            keepReachingDependencies(model, userServices, declaration.service(), proxied.keySet());
        }
        List<String> all = new ArrayList<>();
        services.fieldNames().forEachRemaining(all::add);
        return new Derived(model, configs, all, imageChanges);
    }

    /**
     * A proxied service left its networks, so it would no longer reach the services it depends on (a proxied entry
     * point calling its database). It joins {@code gameday-S-out} with them: each dependency under its name and
     * aliases there, or, for a dependency that is proxied itself, that dependency's proxy, so faults on it still apply.
     * Only services named in {@code depends_on} are reached this way; a dependency sharing another's network
     * ({@code network_mode}) cannot join and is left out.
     */
    private static void keepReachingDependencies(ObjectNode model, ObjectNode userServices, String name,
                                                 Set<String> proxiedNames) {
        if (!(userServices.get(name).get("depends_on") instanceof ObjectNode dependsOn) || dependsOn.isEmpty()) {
            return;
        }
        ObjectNode services = (ObjectNode) model.get("services");
        String outbound = NETWORK_PREFIX + name + "-out";
        ((ObjectNode) services.get(name).get("networks")).putObject(outbound);
        ((ObjectNode) model.get("networks")).putObject(outbound);
        dependsOn.fieldNames().forEachRemaining(dependency -> {
            JsonNode original = userServices.get(dependency);
            if (original == null || !original.path("network_mode").asText("").isEmpty()) {
                return;
            }
            Set<String> aliases = new LinkedHashSet<>();
            aliases.add(dependency);
            original.path("networks").forEach(network -> network.path("aliases").forEach(a -> aliases.add(a.asText())));
            ObjectNode reached = (ObjectNode) services.get(proxiedNames.contains(dependency)
                    ? PROXY_PREFIX + dependency : dependency);
            ObjectNode networks = reached.get("networks") instanceof ObjectNode existing && !existing.isEmpty()
                    ? existing : (ObjectNode) reached.set("networks", defaultNetwork()).get("networks");
            ArrayNode aliasArray = NODES.arrayNode();
            aliases.forEach(aliasArray::add);
            networks.set(outbound, NODES.objectNode().set("aliases", aliasArray));
        });
    }

    private static void resolveImage(String where, String name, ObjectNode service, ImageResolver images,
                                     Map<String, String> imageChanges) {
        if (service.get("build") instanceof ObjectNode build) {
            // Compose builds it (up --build); its FROM images must be local, since nothing is pulled.
            build.put("pull", false);
            service.put("pull_policy", "build");
            return;
        }
        String image = service.path("image").asText("");
        if (image.isEmpty()) {
            throw new EnvironmentUnavailableException("Compose file " + where + ": service '" + name + "' has neither"
                    + " 'image:' nor 'build:'. Give it one of them.");
        }
        service.put("pull_policy", "never");
        if (images.exists(image)) {
            return;
        }
        Optional<String> local = images.localNameFor(image);
        if (local.isPresent() && images.exists(local.get())) {
            service.put("image", local.get());
            imageChanges.put(image, local.get());
            return;
        }
        throw new EnvironmentUnavailableException("Compose file " + where + ": service '" + name + "' runs image '"
                + image + "', which is not in the local Docker engine"
                + local.map(l -> " (nor is its local stand-in '" + l + "')").orElse("")
                + ", and Gameday never pulls. Provide it: build and tag it locally (docker build -t " + image
                + " ...), or give the service a 'build:' section"
                + local.map(l -> ", or, if it is one of the images this project provides, run"
                        + " scripts/build-images.sh").orElse("") + ".");
    }

    private static ObjectNode proxyService(String name, int port, ObjectNode originalNetworks, String privateNetwork,
                                           Path config, Map<String, String> labels, String toxiproxyImage) {
        ObjectNode proxy = NODES.objectNode();
        proxy.put("image", toxiproxyImage);
        proxy.put("pull_policy", "never");
        proxy.set("command", NODES.arrayNode().add("-host=0.0.0.0").add("-proxy-metrics")
                .add("-config").add(TOXIPROXY_CONFIG_IN_CONTAINER));
        ObjectNode mount = NODES.objectNode();
        mount.put("type", "bind");
        mount.put("source", config.toString());
        mount.put("target", TOXIPROXY_CONFIG_IN_CONTAINER);
        mount.put("read_only", true);
        proxy.set("volumes", NODES.arrayNode().add(mount));
        ObjectNode networks = NODES.objectNode();
        for (Map.Entry<String, JsonNode> network : originalNetworks.properties()) {
            Set<String> aliases = new LinkedHashSet<>();
            aliases.add(name);
            network.getValue().path("aliases").forEach(alias -> aliases.add(alias.asText()));
            ArrayNode aliasArray = NODES.arrayNode();
            aliases.forEach(aliasArray::add);
            networks.set(network.getKey(), NODES.objectNode().set("aliases", aliasArray));
        }
        networks.set(privateNetwork, NODES.objectNode());
        proxy.set("networks", networks);
        proxy.set("ports", NODES.arrayNode().add("127.0.0.1::" + TOXIPROXY_API_PORT).add("127.0.0.1::" + port));
        // The image is FROM scratch: no shell, but its toxiproxy-cli can ask the API whether the proxy exists.
        ObjectNode healthcheck = NODES.objectNode();
        healthcheck.set("test", NODES.arrayNode().add("CMD").add("/toxiproxy-cli")
                .add("-h").add("http://127.0.0.1:" + TOXIPROXY_API_PORT).add("inspect").add(name));
        healthcheck.put("interval", "1s");
        healthcheck.put("timeout", "3s");
        healthcheck.put("retries", 30);
        proxy.set("healthcheck", healthcheck);
        ObjectNode dependsOn = NODES.objectNode();
        ObjectNode started = NODES.objectNode();
        started.put("condition", "service_started");
        started.put("required", true);
        dependsOn.set(name, started);
        proxy.set("depends_on", dependsOn);
        addLabels(proxy, labels);
        return proxy;
    }

    static String toxiproxyConfig(String name, int port) {
        ObjectNode proxy = NODES.objectNode();
        proxy.put("name", name);
        proxy.put("listen", "0.0.0.0:" + port);
        proxy.put("upstream", UPSTREAM_PREFIX + name + ":" + port);
        proxy.put("enabled", true);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(NODES.arrayNode().add(proxy));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void addLabels(ObjectNode service, Map<String, String> labels) {
        ObjectNode existing = service.get("labels") instanceof ObjectNode node ? node : service.putObject("labels");
        labels.forEach(existing::put);
    }

    private static ObjectNode defaultNetwork() {
        ObjectNode networks = NODES.objectNode();
        networks.putNull("default");
        return networks;
    }

    /** Declares the networks a proxy joins at the top level (the default network may be implicit). */
    private static void ensureNetworks(ObjectNode model, ObjectNode serviceNetworks, String privateNetwork) {
        ObjectNode networks = model.get("networks") instanceof ObjectNode node ? node : model.putObject("networks");
        serviceNetworks.fieldNames().forEachRemaining(name -> {
            if (!networks.has(name)) {
                networks.putObject(name);
            }
        });
        networks.putObject(privateNetwork);
    }

    /**
     * Compose's normalised model names every network and volume {@code <project>_<key>}; written back as is, those
     * names would pin the run to the user's own project (their data volumes included) and clash between runs. Such
     * names are removed, so the run's project scopes them; names the user chose, and external ones, stay.
     */
    private static void unnameScopedResources(ObjectNode model, String kind, String project) {
        if (!(model.get(kind) instanceof ObjectNode resources)) {
            return;
        }
        resources.properties().forEach(entry -> {
            if (entry.getValue() instanceof ObjectNode resource && !resource.path("external").asBoolean(false)
                    && resource.path("name").asText("").equals(project + "_" + entry.getKey())) {
                resource.remove("name");
            }
        });
    }

    private static String describe(Declaration declaration) {
        return switch (declaration.role()) {
            case ENTRY_POINT -> "entryPoint(\"" + declaration.service() + "\", " + declaration.port() + ")";
            case PROXIED -> "proxied(\"" + declaration.service() + "\", " + declaration.protocol() + ", "
                    + declaration.port() + ")";
            case TARGET -> "target(\"" + declaration.service() + "\", " + declaration.protocol() + ", "
                    + declaration.port() + ")";
        };
    }
}
