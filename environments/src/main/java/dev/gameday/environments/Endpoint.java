package dev.gameday.environments;

import java.net.URI;
import java.util.Objects;

/**
 * A host and port the harness can reach.
 *
 * @param host name or address, for example {@code localhost}
 * @param port between 1 and 65535
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Endpoint: host must not be blank.");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("Endpoint " + host + ": port must be between 1 and 65535, but was " + port + ".");
        }
    }

    /** {@code scheme://host:port}. */
    public URI uri(String scheme) {
        return URI.create(scheme + "://" + host + ":" + port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
