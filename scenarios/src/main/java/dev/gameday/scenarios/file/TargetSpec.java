package dev.gameday.scenarios.file;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import java.util.Optional;

/**
 * A target as a file declares it, before anything runs: its name, protocol, port and whether the system under test
 * reaches it through Toxiproxy.
 *
 * <pre>{@code
 * TargetSpec redis = new TargetSpec("redis", Protocol.REDIS, 6379, true);
 * }</pre>
 */
record TargetSpec(String name, Protocol protocol, int port, boolean proxied) {

    /**
     * A stand-in with the same name, protocol and proxy as the real target will have, at made-up addresses, so that
     * {@link dev.gameday.faults.NetworkFaults} can judge a fault on it before anything starts. Nothing connects to it.
     */
    Target standIn() {
        Endpoint endpoint = new Endpoint("localhost", port);
        Optional<NetworkLink> link = proxied
                ? Optional.of(new NetworkLink(new Endpoint("localhost", 8474), name, endpoint))
                : Optional.empty();
        return new Target(name, protocol, endpoint, link, Optional.empty());
    }
}
