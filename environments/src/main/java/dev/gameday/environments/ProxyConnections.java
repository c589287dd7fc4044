package dev.gameday.environments;

/**
 * Live statistics of the connections a proxy holds open on its listening port: what the system under test has sent
 * through them so far, read while they stay open. Pooled connections (a Redis client's, a JDBC pool's) live as long as
 * the system does, so a count taken only when connections end would miss their traffic.
 *
 * <pre>{@code
 * ProxyConnections connections = environment.target("redis").link().orElseThrow().connections().orElseThrow();
 * long before = connections.bytesReceived();
 * // the system under test sends on its pooled connections
 * long sentMeanwhile = connections.bytesReceived() - before; // > 0, connections still open
 * }</pre>
 *
 * <p>Only connections open at the moment of reading count: once a connection ends, its bytes drop out of this figure.
 * A reading is therefore evidence that traffic flows, not a running total.
 */
@FunctionalInterface
public interface ProxyConnections {

    /**
     * The bytes the proxy has received from its clients on the connections open right now, summed over those
     * connections, each since it was opened.
     *
     * @throws Exception when the statistics cannot be read; the message says why and what to do
     */
    long bytesReceived() throws Exception;
}
