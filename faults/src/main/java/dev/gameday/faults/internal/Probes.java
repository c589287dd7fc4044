package dev.gameday.faults.internal;

import dev.gameday.faults.Probe;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Probes for the protocols targets speak. Each opens a fresh connection, so a probe never reuses a connection the
 * fault already broke.
 *
 * <pre>{@code
 * Probe ping = Probes.forProtocol(Protocol.REDIS, redis.requireLink("a timeout").proxied());
 * boolean answers = ping.roundTrip(Duration.ofMillis(500)).isPresent();
 * }</pre>
 */
public final class Probes {

    private Probes() {
    }

    /** A probe speaking the target's protocol to the given endpoint. */
    public static Probe forProtocol(Protocol protocol, Endpoint endpoint) {
        return switch (protocol) {
            case REDIS -> new ExchangeProbe("Redis PING to " + endpoint, endpoint,
                    "PING\r\n".getBytes(StandardCharsets.US_ASCII), "+PONG".getBytes(StandardCharsets.US_ASCII));
            // An SSLRequest is answered with a single 'S' or 'N' before any authentication.
            case POSTGRES -> new ExchangeProbe("PostgreSQL SSL request to " + endpoint, endpoint,
                    ByteBuffer.allocate(8).putInt(8).putInt(80_877_103).array(), null);
            case HTTP -> new ExchangeProbe("HTTP GET / to " + endpoint, endpoint,
                    ("GET / HTTP/1.1\r\nHost: " + endpoint.host() + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII), "HTTP/".getBytes(StandardCharsets.US_ASCII));
            case TCP -> new ConnectProbe(endpoint);
        };
    }

    /** Sends a request and waits for the first bytes of the answer (any byte when {@code expected} is null). */
    private record ExchangeProbe(String describe, Endpoint endpoint, byte[] request, byte[] expected) implements Probe {
        @Override
        public int requestBytes() {
            return request.length;
        }

        @Override
        public Optional<Duration> roundTrip(Duration timeout) {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
                socket.setSoTimeout((int) Math.max(1, timeout.toMillis() - elapsedMillis(start)));
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = socket.getInputStream();
                int needed = expected == null ? 1 : expected.length;
                byte[] answer = in.readNBytes(needed);
                if (answer.length < needed || (expected != null && !java.util.Arrays.equals(answer, expected))) {
                    return Optional.empty();
                }
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    /** Only opens a connection: for protocols the harness does not speak. */
    private record ConnectProbe(Endpoint endpoint) implements Probe {
        @Override
        public String describe() {
            return "TCP connect to " + endpoint;
        }

        @Override
        public Optional<Duration> roundTrip(Duration timeout) {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
