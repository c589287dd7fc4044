package dev.gameday.environments.internal;

import dev.gameday.environments.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Everything a {@code ContainerSystem} builder was told, and every check that needs the whole picture (names used but
 * never declared, cycles, what the entry point and the proxies need), made before anything starts.
 *
 * <pre>{@code
 * SystemDefinition definition = new SystemDefinition("quotes");
 * definition.add(ServiceSpec.ofImage("redis", Images.REDIS)).port(6379, Protocol.REDIS);
 * definition.proxy("redis");
 * definition.entryPoint("redis", Optional.empty());
 * definition.check(); // throws IllegalArgumentException listing every problem
 * }</pre>
 */
public final class SystemDefinition {

    /** A proxied service's own container answers under its name with this suffix; the proxy takes the name itself. */
    public static final String UPSTREAM_SUFFIX = "-upstream";
    /** The log name of the (first) Toxiproxy container, which no service may take. */
    public static final String TOXIPROXY = "toxiproxy";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern TOXIPROXY_NAME = Pattern.compile("toxiproxy(-\\d+)?");

    private final String name;
    private final Map<String, ServiceSpec> services = new LinkedHashMap<>();
    private final Set<String> proxied = new LinkedHashSet<>();
    private String entryPoint;
    private String readinessPath;
    private boolean started;

    public SystemDefinition(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("System name: expected lower-case letters, digits and dashes, starting"
                    + " with a letter or digit (it labels every container), but found '" + name + "'.");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Declares a service; its name is checked at once. */
    public ServiceSpec add(String serviceName, DockerImageName image) {
        requireNewName(serviceName);
        return put(ServiceSpec.ofImage(serviceName, image));
    }

    /** Declares a service given as a ready container; its name is checked at once. */
    public ServiceSpec add(String serviceName, GenericContainer<?> container) {
        requireNewName(serviceName);
        return put(ServiceSpec.ofContainer(serviceName, container));
    }

    private ServiceSpec put(ServiceSpec spec) {
        services.put(spec.name(), spec);
        return spec;
    }

    private void requireNewName(String serviceName) {
        Objects.requireNonNull(serviceName, "service name");
        if (!NAME.matcher(serviceName).matches()) {
            throw new IllegalArgumentException("Service name: expected lower-case letters, digits and dashes, starting"
                    + " with a letter or digit ([a-z0-9][a-z0-9-]*: it is the target's name and a host name on the"
                    + " system's network), but found '" + serviceName + "'.");
        }
        if (services.containsKey(serviceName)) {
            throw new IllegalArgumentException("Service '" + serviceName + "' is declared twice in system '" + name
                    + "'. Expected one declaration per name; give the second service another name.");
        }
        if (TOXIPROXY_NAME.matcher(serviceName).matches()) {
            throw new IllegalArgumentException("Service name '" + serviceName + "' is taken by the system's own"
                    + " Toxiproxy container (its log is " + serviceName + ".log). Give the service another name; to"
                    + " put a proxy in front of a service, use proxied(name).");
        }
    }

    public void proxy(String serviceName) {
        Objects.requireNonNull(serviceName, "proxied service name");
        proxied.add(serviceName);
    }

    public void entryPoint(String serviceName, Optional<String> readiness) {
        Objects.requireNonNull(serviceName, "entry point name");
        if (entryPoint != null && !entryPoint.equals(serviceName)) {
            throw new IllegalArgumentException("System '" + name + "' has entry point '" + entryPoint + "' already;"
                    + " expected one entry point, found a second, '" + serviceName + "'. Drop one of the calls.");
        }
        readiness.ifPresent(path -> ServiceSpec.requirePath(path, "Entry point '" + serviceName + "' readiness"));
        this.entryPoint = serviceName;
        this.readinessPath = readiness.orElse(null);
    }

    /** A definition starts once: a container given ready-made cannot run twice. */
    public void markStarted() {
        if (started) {
            throw new IllegalStateException("System '" + name + "' was started from this builder already. Expected one"
                    + " start per builder; define the system again to start another copy.");
        }
        started = true;
    }

    public Map<String, ServiceSpec> services() {
        return services;
    }

    public boolean isProxied(String serviceName) {
        return proxied.contains(serviceName);
    }

    public String entryPoint() {
        return entryPoint;
    }

    public Optional<String> readinessPath() {
        return Optional.ofNullable(readinessPath);
    }

    /** The names of the targets as they will be handed out: the entry point first, then the others as declared. */
    public List<String> targetNames() {
        List<String> names = new ArrayList<>();
        if (entryPoint != null && services.containsKey(entryPoint) && services.get(entryPoint).port().isPresent()) {
            names.add(entryPoint);
        }
        services.values().stream().filter(service -> service.port().isPresent())
                .map(ServiceSpec::name).filter(serviceName -> !serviceName.equals(entryPoint)).forEach(names::add);
        return List.copyOf(names);
    }

    /** The proxied services with their ports, in declaration order (call after {@link #check()}). */
    public Map<String, Integer> proxiedPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        services.values().stream().filter(service -> proxied.contains(service.name()))
                .forEach(service -> ports.put(service.name(), service.port().orElseThrow()));
        return ports;
    }

    /** The network alias a service's own container answers under. */
    public String alias(String serviceName) {
        return proxied.contains(serviceName) ? serviceName + UPSTREAM_SUFFIX : serviceName;
    }

    /**
     * Every check that needs the whole system, all problems at once.
     *
     * @return the start order, in waves (see {@link StartOrder})
     * @throws IllegalArgumentException listing every problem, each with what was expected, what was found and what to
     *                                  do
     */
    public List<List<String>> check() {
        List<String> problems = new ArrayList<>();
        if (services.isEmpty()) {
            problems.add("expected at least one service, found none. Declare them with service(name, image)");
        }
        for (ServiceSpec service : services.values()) {
            for (String needed : service.dependsOn()) {
                if (!services.containsKey(needed)) {
                    problems.add("service '" + service.name() + "' dependsOn '" + needed + "', which is not declared;"
                            + " expected one of " + services.keySet() + ". Declare it, or fix the name");
                }
            }
            if (service.waitsForHttp() && service.port().isEmpty()) {
                problems.add("service '" + service.name() + "' waits for an HTTP path but has no port to ask it on."
                        + " Declare port(<port>, Protocol.HTTP)");
            }
        }
        for (String proxiedName : proxied) {
            ServiceSpec service = services.get(proxiedName);
            if (service == null) {
                problems.add("proxied('" + proxiedName + "') names no declared service; expected one of "
                        + services.keySet() + ". Declare it, or fix the name");
            } else if (service.port().isEmpty()) {
                problems.add("proxied service '" + proxiedName + "' has no port, so there is nothing to proxy."
                        + " Declare its port with port(<port>, <protocol>)");
            }
            String upstream = proxiedName + UPSTREAM_SUFFIX;
            if (services.containsKey(upstream)) {
                problems.add("service '" + upstream + "' clashes with the name under which proxied service '"
                        + proxiedName + "' answers behind its proxy. Rename '" + upstream + "'");
            }
        }
        if (entryPoint == null) {
            problems.add("expected an entry point, where load goes, found none. Declare it with"
                    + " entryPoint(name, readinessPath)");
        } else if (!services.containsKey(entryPoint)) {
            problems.add("entry point '" + entryPoint + "' names no declared service; expected one of "
                    + services.keySet() + ". Declare it, or fix the name");
        } else {
            ServiceSpec service = services.get(entryPoint);
            if (service.port().isEmpty()) {
                problems.add("entry point '" + entryPoint + "' has no port for load to go to. Declare its port with"
                        + " port(<port>, Protocol.HTTP)");
            } else if (readinessPath != null && service.protocol() != Protocol.HTTP) {
                problems.add("entry point '" + entryPoint + "' has a readiness path, " + readinessPath + ", but speaks "
                        + service.protocol() + ", expected HTTP. Declare port(<port>, Protocol.HTTP), or use"
                        + " entryPoint(name) without a path");
            }
        }
        List<List<String>> waves = List.of();
        if (problems.isEmpty()) {
            Map<String, Set<String>> dependencies = new LinkedHashMap<>();
            services.values().forEach(service -> dependencies.put(service.name(), service.dependsOn()));
            try {
                waves = StartOrder.waves(dependencies);
            } catch (IllegalArgumentException cycle) {
                problems.add(cycle.getMessage().replaceAll("\\.$", ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() == 1
                    ? "System '" + name + "' cannot start: " + problems.get(0) + "."
                    : "System '" + name + "' cannot start (" + problems.size() + " problems):" + problems.stream()
                    .map(problem -> "\n  - " + problem + ".").collect(Collectors.joining()));
        }
        return waves;
    }
}
