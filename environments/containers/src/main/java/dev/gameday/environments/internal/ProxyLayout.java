package dev.gameday.environments.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Toxiproxy container carries which proxy. A proxied service keeps its own name and port: its proxy listens on
 * {@code 0.0.0.0:<port>} in a Toxiproxy container that carries the service's name as network alias. One container can
 * listen only once on a port, so services that share a port get a Toxiproxy container each; every container puts its
 * control API on 8474, or on the next port none of its proxies uses.
 *
 * <pre>{@code
 * ProxyLayout.of(Map.of("redis", 6379, "sessions", 6379))
 * // [Toxiproxy(apiPort 8474, {redis=6379}), Toxiproxy(apiPort 8474, {sessions=6379})]
 * }</pre>
 */
public final class ProxyLayout {

    /** Toxiproxy's usual control port. */
    public static final int DEFAULT_API_PORT = 8474;

    private ProxyLayout() {
    }

    /**
     * One Toxiproxy container: {@code new Toxiproxy(8474, Map.of("redis", 6379)).command()} is
     * {@code [-host=0.0.0.0, -proxy-metrics]}.
     *
     * @param apiPort its control API's port inside the container
     * @param proxies the services it stands in for, by name, each with the port it listens on, in declaration order
     */
    public record Toxiproxy(int apiPort, Map<String, Integer> proxies) {

        /** The command line: every interface, counters per proxy, the API port when it is not the usual one. */
        public List<String> command() {
            List<String> command = new ArrayList<>(List.of("-host=0.0.0.0", "-proxy-metrics"));
            if (apiPort != DEFAULT_API_PORT) {
                command.add("-port=" + apiPort);
            }
            return List.copyOf(command);
        }
    }

    /** Assigns each proxied service, in declaration order, to the first Toxiproxy container whose port is free. */
    public static List<Toxiproxy> of(Map<String, Integer> proxiedPorts) {
        List<Map<String, Integer>> containers = new ArrayList<>();
        for (Map.Entry<String, Integer> proxied : proxiedPorts.entrySet()) {
            Map<String, Integer> home = containers.stream()
                    .filter(container -> !container.containsValue(proxied.getValue())).findFirst().orElse(null);
            if (home == null) {
                home = new LinkedHashMap<>();
                containers.add(home);
            }
            home.put(proxied.getKey(), proxied.getValue());
        }
        List<Toxiproxy> layout = new ArrayList<>();
        for (Map<String, Integer> proxies : containers) {
            int api = DEFAULT_API_PORT;
            while (proxies.containsValue(api)) {
                api++;
            }
            layout.add(new Toxiproxy(api, Collections.unmodifiableMap(proxies)));
        }
        return List.copyOf(layout);
    }
}
