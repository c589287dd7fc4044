package dev.gameday.faults.internal;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * One request in a target's protocol on a fresh connection, read to the end of its answer, and timed: what the
 * network faults whose effect a bare round trip does not show (bandwidth, slicer, limit on data, slow close, reset)
 * verify themselves with. Unlike a {@link dev.gameday.faults.Probe} it knows how long the complete answer is, so a cut
 * answer is told apart from a complete one, and it tells a reset or a close apart from silence.
 *
 * <pre>{@code
 * Conversation echo = Conversation.redisEcho(link.proxied(), 100_000);   // PING with 100 000 bytes, echoed back
 * Conversation.Exchange seen = echo.exchange(Duration.ofSeconds(2));
 * boolean cut = seen.ending() == Conversation.Ending.CLOSED;               // the answer ended before its last byte
 * }</pre>
 *
 * @param describe       one line for evidence, for example {@code Redis PING of 100000 bytes to localhost:32771}
 * @param endpoint       where to send it (the proxy)
 * @param request        the bytes sent
 * @param answerPrefix   the first bytes of a correct answer
 * @param expectedLength the full length of the answer, from what has been read so far; -1 while unknown (the answer
 *                       then ends when the server closes the connection)
 * @param awaitClose     whether, after a complete answer, to wait for the server to close the connection and time it
 */
public record Conversation(String describe, Endpoint endpoint, byte[] request, byte[] answerPrefix,
                           ToLongFunction<byte[]> expectedLength, boolean awaitClose) {

    /** How an exchange ended. */
    public enum Ending {
        /** The complete answer arrived. */
        ANSWERED,
        /** The connection was closed before the complete answer (or any answer) arrived. */
        CLOSED,
        /** The connection was reset. */
        RESET,
        /** The connection could not be opened. */
        REFUSED,
        /** Nothing more arrived before the timeout; the answer, if any, was incomplete. */
        SILENT,
        /** The answer was not the one the request asks for. */
        UNEXPECTED
    }

    /**
     * What one exchange saw.
     *
     * @param ending      how it ended
     * @param bytes       the answer's bytes that arrived
     * @param fullLength  the complete answer's length when known, else -1
     * @param elapsed     from sending the request to the end of the answer (or to the ending)
     * @param closedAfter for a conversation that awaits the close: how long after the answer's last byte the server
     *                    closed the connection, empty when it had not closed within the timeout; null for a
     *                    conversation that does not await the close, or an answer that was not complete
     * @param openAfterLastByte how long the connection was seen open after the answer's last byte
     */
    public record Exchange(Ending ending, long bytes, long fullLength, Duration elapsed, Optional<Duration> closedAfter,
                           Duration openAfterLastByte) {

        Exchange(Ending ending, long bytes, long fullLength, Duration elapsed, Optional<Duration> closedAfter) {
            this(ending, bytes, fullLength, elapsed, closedAfter, closedAfter == null ? Duration.ZERO
                    : closedAfter.orElse(Duration.ZERO));
        }

        /** For evidence: {@code answer of 100011 bytes complete in 12.3 ms}. */
        public String summary() {
            String size = fullLength >= 0 ? bytes + " of " + fullLength + " bytes" : bytes + " bytes";
            String text = switch (ending) {
                case ANSWERED -> "answer of " + bytes + " bytes complete in " + millis(elapsed);
                case CLOSED -> "connection closed after " + size + " of the answer, in " + millis(elapsed);
                case RESET -> "connection reset after " + size + " of the answer, in " + millis(elapsed);
                case REFUSED -> "connection refused";
                case SILENT -> (bytes == 0 ? "no answer" : "only " + size + " of the answer") + " within "
                        + millis(elapsed);
                case UNEXPECTED -> "an unexpected answer (" + bytes + " bytes) in " + millis(elapsed);
            };
            if (ending == Ending.ANSWERED && closedAfter != null) {
                text += closedAfter.map(after -> ", connection closed " + millis(after) + " after it")
                        .orElse(", connection still open " + millis(openAfterLastByte) + " after it");
            }
            return text;
        }
    }

    /**
     * A Redis PING carrying {@code payloadBytes}, which Redis echoes back as a bulk string of the same size: an answer
     * as big as needed, with no side effect on the data.
     */
    public static Conversation redisEcho(Endpoint endpoint, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        byte[] head = ("*2\r\n$4\r\nPING\r\n$" + payloadBytes + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = concat(head, payload, "\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] prefix = ("$" + payloadBytes + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long length = prefix.length + payloadBytes + 2L;
        return new Conversation("Redis PING of " + payloadBytes + " bytes to " + endpoint, endpoint, request, prefix,
                read -> length, false);
    }

    /** Redis PING then QUIT: {@code +PONG} and {@code +OK}, after which Redis closes the connection. */
    public static Conversation redisQuit(Endpoint endpoint) {
        byte[] answer = "+PONG\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        return new Conversation("Redis PING and QUIT to " + endpoint, endpoint,
                "PING\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII), answer, read -> answer.length, true);
    }

    /**
     * HTTP GET /: the answer's length comes from its {@code Content-Length} or its chunks, or is the whole stream up to
     * the server's close when it has neither. With {@code awaitClose} it asks the server to close the connection after
     * the answer ({@code Connection: close}) and waits for that close.
     */
    public static Conversation httpGet(Endpoint endpoint, boolean awaitClose) {
        // Without Connection: close an HTTP/1.1 server must frame its answer (Content-Length or chunks), so that a cut
        // answer shows; with it, a server may end the answer by closing alone, as WireMock does.
        byte[] request = ("GET / HTTP/1.1\r\nHost: " + endpoint.host() + "\r\n"
                + (awaitClose ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Conversation("HTTP GET / to " + endpoint, endpoint, request,
                "HTTP/".getBytes(StandardCharsets.US_ASCII), Conversation::httpLength, awaitClose);
    }

    /**
     * The smallest question of a target's protocol with a known answer: Redis PING ({@code +PONG}), a PostgreSQL SSL
     * request (one byte, {@code S} or {@code N}), HTTP GET /.
     *
     * @throws IllegalArgumentException for {@link Protocol#TCP}, which has no question to ask
     */
    public static Conversation question(Protocol protocol, Endpoint endpoint) {
        return switch (protocol) {
            case REDIS -> new Conversation("Redis PING to " + endpoint, endpoint,
                    "PING\r\n".getBytes(StandardCharsets.US_ASCII), "+PONG\r\n".getBytes(StandardCharsets.US_ASCII),
                    read -> 7, false);
            case POSTGRES -> new Conversation("PostgreSQL SSL request to " + endpoint, endpoint,
                    java.nio.ByteBuffer.allocate(8).putInt(8).putInt(80_877_103).array(), new byte[0], read -> 1,
                    false);
            case HTTP -> httpGet(endpoint, false);
            case TCP -> throw new IllegalArgumentException("A plain TCP target has no question to ask: only a"
                    + " connection can be opened to it.");
        };
    }

    /** The conversation of a target's protocol that gets an answer of about {@code answerBytes}, where there is one. */
    public static Optional<Conversation> bigAnswer(Protocol protocol, Endpoint endpoint, int answerBytes) {
        return switch (protocol) {
            case REDIS -> Optional.of(redisEcho(endpoint, answerBytes));
            case HTTP -> Optional.of(httpGet(endpoint, false));
            case POSTGRES, TCP -> Optional.empty();
        };
    }

    /** The conversation of a target's protocol after whose answer the server closes the connection, if there is one. */
    public static Optional<Conversation> answerThenClose(Protocol protocol, Endpoint endpoint) {
        return switch (protocol) {
            case REDIS -> Optional.of(redisQuit(endpoint));
            case HTTP -> Optional.of(httpGet(endpoint, true));
            case POSTGRES, TCP -> Optional.empty();
        };
    }

    /** Whether the answer's length is known in advance, so that its size can be chosen. */
    public boolean sizedByRequest() {
        return expectedLength.applyAsLong(new byte[0]) >= 0;
    }

    /**
     * Sends the request on a fresh connection and reads the answer, spending at most {@code timeout} in all. A
     * conversation that awaits the close reads on after the answer until the server closes the connection, and times
     * the close from the answer's last byte (an answer framed by the close alone ends with its last byte too).
     */
    public Exchange exchange(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        long bytes = 0;
        long full = -1;
        long lastByteAt = 0;
        byte[] tail = new byte[0];
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
            } catch (ConnectException e) {
                return new Exchange(Ending.REFUSED, 0, -1, since(start), null);
            } catch (SocketTimeoutException e) {
                return new Exchange(Ending.SILENT, 0, -1, since(start), null);
            }
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("deadline");
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n = in.read(buffer);
                if (n < 0) {
                    long now = System.nanoTime();
                    boolean complete = bytes > 0 && (full >= 0 ? bytes >= full
                            : !chunked(head.toByteArray()) || endsChunks(tail));
                    Duration upToLastByte = Duration.ofNanos((lastByteAt == 0 ? now : lastByteAt) - start);
                    return new Exchange(complete ? Ending.ANSWERED : Ending.CLOSED, bytes, full, upToLastByte,
                            awaitClose && complete ? Optional.of(Duration.ofNanos(now - lastByteAt)) : null);
                }
                bytes += n;
                lastByteAt = System.nanoTime();
                tail = lastBytes(tail, buffer, n);
                if (head.size() < 64 * 1024) {
                    head.write(buffer, 0, Math.min(n, 64 * 1024 - head.size()));
                }
                if (startsWrong(head.toByteArray())) {
                    return new Exchange(Ending.UNEXPECTED, bytes, full, since(start), null);
                }
                full = expectedLength.applyAsLong(head.toByteArray());
                boolean lastChunk = full < 0 && chunked(head.toByteArray()) && endsChunks(tail);
                if (!awaitClose && ((full >= 0 && bytes >= full) || lastChunk)) {
                    return new Exchange(Ending.ANSWERED, bytes, full, since(start), null);
                }
            }
        } catch (SocketTimeoutException e) {
            long now = System.nanoTime();
            boolean framedAndComplete = bytes > 0 && ((full >= 0 && bytes >= full)
                    || (chunked(head.toByteArray()) && endsChunks(tail)));
            if (awaitClose && bytes > 0 && (framedAndComplete || full < 0)) {
                // still open: how long since the last byte is the evidence, whether or not the answer is framed
                return new Exchange(Ending.ANSWERED, bytes, full, Duration.ofNanos(lastByteAt - start),
                        Optional.empty(), Duration.ofNanos(now - lastByteAt));
            }
            return new Exchange(Ending.SILENT, bytes, full, since(start), null);
        } catch (SocketException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            Ending ending = message.contains("reset") || message.contains("broken pipe") ? Ending.RESET : Ending.CLOSED;
            return new Exchange(ending, bytes, full, since(start), null);
        } catch (IOException e) {
            return new Exchange(Ending.CLOSED, bytes, full, since(start), null);
        }
    }

    private boolean startsWrong(byte[] head) {
        int compared = Math.min(head.length, answerPrefix.length);
        return !Arrays.equals(head, 0, compared, answerPrefix, 0, compared);
    }

    /** Whether an HTTP answer's headers are in and say its body comes in chunks. */
    static boolean chunked(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end >= 0 && text.substring(0, end).toLowerCase(Locale.ROOT)
                .matches("(?s).*\r\ntransfer-encoding:[^\r]*chunked.*");
    }

    private static final byte[] LAST_CHUNK = "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Whether these last bytes of an answer are a chunked body's last, empty chunk. */
    static boolean endsChunks(byte[] tail) {
        return tail.length == LAST_CHUNK.length && Arrays.equals(tail, LAST_CHUNK);
    }

    private static byte[] lastBytes(byte[] tail, byte[] read, int n) {
        byte[] joined = concat(tail, Arrays.copyOf(read, n));
        return Arrays.copyOfRange(joined, Math.max(0, joined.length - LAST_CHUNK.length), joined.length);
    }

    /** The length of an HTTP answer once its headers are in, when it has a Content-Length; else -1. */
    static long httpLength(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return -1;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    return end + 4 + Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
