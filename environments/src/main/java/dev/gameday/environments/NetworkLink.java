package dev.gameday.environments;

import java.util.Objects;
import java.util.Optional;

/**
 * The Toxiproxy proxy that sits between the system under test and one of its dependencies, so that network faults
 * need no change in the system.
 *
 * <pre>{@code
 * NetworkLink link = new NetworkLink(new Endpoint("localhost", 8474), "redis", new Endpoint("localhost", 32768),
 *         Optional.of(sidecar.connectionsOn(8666)));
 * }</pre>
 *
 * @param toxiproxyApi where Toxiproxy's control API answers, reachable from the harness
 * @param proxyName    the proxy's name in Toxiproxy
 * @param proxied      the proxy's listening address as the harness reaches it: traffic through it sees what the system
 *                     under test sees
 * @param connections  live statistics of the connections open on the proxy's listening port, if the environment can
 *                     read them (the container environments read them with `ss` from a sidecar next to Toxiproxy)
 */
public record NetworkLink(Endpoint toxiproxyApi, String proxyName, Endpoint proxied,
                          Optional<ProxyConnections> connections) {

    public NetworkLink {
        Objects.requireNonNull(toxiproxyApi, "toxiproxyApi");
        Objects.requireNonNull(proxyName, "proxyName");
        Objects.requireNonNull(proxied, "proxied");
        Objects.requireNonNull(connections, "connections");
    }

    /** A link without live connection statistics. */
    public NetworkLink(Endpoint toxiproxyApi, String proxyName, Endpoint proxied) {
        this(toxiproxyApi, proxyName, proxied, Optional.empty());
    }
}
