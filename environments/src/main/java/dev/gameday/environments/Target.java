package dev.gameday.environments;

import java.util.Objects;
import java.util.Optional;

/**
 * A named service of the system under test, with everything faults and load need to reach it.
 *
 * <pre>{@code
 * Target redis = environment.target("redis");
 * NetworkLink link = redis.link().orElseThrow();
 * }</pre>
 *
 * @param name        the name scenarios use, for example {@code redis}
 * @param protocol    what it speaks
 * @param endpoint    its own address as the harness reaches it, bypassing any proxy
 * @param link        the proxy in front of it, if the system under test reaches it through Toxiproxy
 * @param containerId its container, if it runs in one the harness controls
 */
public record Target(String name, Protocol protocol, Endpoint endpoint, Optional<NetworkLink> link,
                     Optional<String> containerId) {

    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(containerId, "containerId");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("Target name must be lower-case letters, digits and dashes, but was '"
                    + name + "'.");
        }
    }

    /**
     * Where its clients reach it: through its proxy if it has one, otherwise its own endpoint. Load goes to the entry
     * point's client endpoint, so that a network fault on a proxied entry point reaches the load.
     *
     * <pre>{@code
     * URI api = environment.entryPoint().clientEndpoint().uri("http");
     * }</pre>
     */
    public Endpoint clientEndpoint() {
        return link.map(NetworkLink::proxied).orElse(endpoint);
    }

    /** The proxy in front of this target, or a clear error for a fault that needs one. */
    public NetworkLink requireLink(String purpose) {
        return link.orElseThrow(() -> new IllegalArgumentException("Target '" + name + "' is not reached through"
                + " Toxiproxy, so " + purpose + " cannot be injected on it. Route the system under test to it through"
                + " a Toxiproxy proxy and declare the proxy in the environment."));
    }
}
