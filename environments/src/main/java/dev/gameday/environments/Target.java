package dev.gameday.environments;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * @param credentials how the harness logs in to it, if it is a datastore that needs them
 * @param httpSimulator whether it is an HTTP simulator with WireMock's admin API
 */
public record Target(String name, Protocol protocol, Endpoint endpoint, Optional<NetworkLink> link,
                     Optional<String> containerId, Optional<Credentials> credentials, boolean httpSimulator) {

    public Target {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(credentials, "credentials");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("Target name must be lower-case letters, digits and dashes, but was '"
                    + name + "'.");
        }
    }

    /** A target without credentials that is not an HTTP simulator. */
    public Target(String name, Protocol protocol, Endpoint endpoint, Optional<NetworkLink> link,
                  Optional<String> containerId) {
        this(name, protocol, endpoint, link, containerId, Optional.empty(), false);
    }

    /** The same target, logged in to with these credentials. */
    public Target withCredentials(Credentials newCredentials) {
        return new Target(name, protocol, endpoint, link, containerId, Optional.of(newCredentials), httpSimulator);
    }

    /** The same target, declared a WireMock simulator whose admin API answers at {@code /__admin} on its endpoint. */
    public Target asHttpSimulator() {
        if (protocol != Protocol.HTTP) {
            throw new IllegalArgumentException("Target '" + name + "' speaks " + protocol + ", so it cannot be an HTTP"
                    + " simulator; only an HTTP target can.");
        }
        return new Target(name, protocol, endpoint, link, containerId, credentials, true);
    }

    /** What can be done to it, and so which faults it can take. */
    public Set<Capability> capabilities() {
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        containerId.ifPresent(id -> capabilities.add(Capability.CONTAINER));
        link.ifPresent(l -> capabilities.add(Capability.PROXIED_LINK));
        if (protocol == Protocol.REDIS || (protocol == Protocol.POSTGRES && credentials.isPresent())) {
            capabilities.add(Capability.DATASTORE);
        }
        if (httpSimulator) {
            capabilities.add(Capability.HTTP_SIMULATOR);
        }
        return capabilities;
    }

    /**
     * Checks that the target has the capability a fault needs.
     *
     * <pre>{@code
     * target.require(Capability.CONTAINER, "fault 'api-kill'");
     * }</pre>
     *
     * @throws IllegalArgumentException naming the capability and how to provide it, when the target lacks it
     */
    public Target require(Capability capability, String purpose) {
        if (!capabilities().contains(capability)) {
            throw new IllegalArgumentException(purpose + " needs " + capability.meaning() + " (" + capability + "), but"
                    + " target '" + name + "' has " + (capabilities().isEmpty() ? "no capability"
                    : "only " + capabilities()) + ". " + capability.howToProvide());
        }
        return this;
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
        require(Capability.PROXIED_LINK, purpose);
        return link.orElseThrow();
    }
}
