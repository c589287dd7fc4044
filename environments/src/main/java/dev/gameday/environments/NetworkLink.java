package dev.gameday.environments;

import java.util.Objects;

/**
 * The Toxiproxy proxy that sits between the system under test and one of its dependencies, so that network faults
 * need no change in the system.
 *
 * @param toxiproxyApi where Toxiproxy's control API answers, reachable from the harness
 * @param proxyName    the proxy's name in Toxiproxy
 * @param proxied      the proxy's listening address as the harness reaches it: traffic through it sees what the system
 *                     under test sees
 */
public record NetworkLink(Endpoint toxiproxyApi, String proxyName, Endpoint proxied) {

    public NetworkLink {
        Objects.requireNonNull(toxiproxyApi, "toxiproxyApi");
        Objects.requireNonNull(proxyName, "proxyName");
        Objects.requireNonNull(proxied, "proxied");
    }
}
