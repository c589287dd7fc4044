package dev.gameday.faults.internal;

import dev.gameday.environments.Endpoint;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One connection to Redis speaking RESP2, just enough for the Redis faults: commands as arrays of bulk strings,
 * replies as {@link String} (simple and bulk strings; {@code null} for a null bulk), {@link Long}, {@link Error} or
 * {@link List}. Commands may be pipelined ({@link #send} then {@link #read}).
 *
 * <pre>{@code
 * try (RedisConnection redis = RedisConnection.open(endpoint, Duration.ofSeconds(2))) {
 *     redis.auth("", "secret");
 *     Object pong = redis.call("PING");    // "PONG"
 * }
 * }</pre>
 */
public final class RedisConnection implements AutoCloseable {

    /** An error reply, such as {@code OOM command not allowed when used memory > 'maxmemory'.} */
    public record Error(String message) {
        @Override
        public String toString() {
            return "-" + message;
        }
    }

    private final Endpoint endpoint;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RedisConnection(Endpoint endpoint, Socket socket) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects; every read waits at most {@code timeout} until changed with {@link #timeout(Duration)}. */
    public static RedisConnection open(Endpoint endpoint, Duration timeout) throws IOException {
        Objects.requireNonNull(endpoint, "endpoint");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis(timeout));
            socket.setSoTimeout(millis(timeout));
            return new RedisConnection(endpoint, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Changes how long a read waits; {@link Duration#ZERO} waits until the connection is closed. */
    public RedisConnection timeout(Duration timeout) throws IOException {
        socket.setSoTimeout(timeout.isZero() ? 0 : millis(timeout));
        return this;
    }

    /** Sends {@code AUTH} when a password is given (with the user when one is), and fails unless Redis accepts it. */
    public void auth(String user, String password) throws IOException {
        if (password == null || password.isEmpty()) {
            return;
        }
        Object reply = user == null || user.isEmpty() ? call("AUTH", password) : call("AUTH", user, password);
        if (reply instanceof Error error) {
            throw new IOException("Redis at " + endpoint + " refused the login" + (user == null || user.isEmpty() ? ""
                    : " of user '" + user + "'") + ": " + error.message() + ". Give the target the credentials Redis"
                    + " expects (Target.withCredentials(Credentials.password(..))).");
        }
    }

    /** Sends one command and reads its reply. */
    public Object call(String... command) throws IOException {
        send(command);
        return read();
    }

    /** A command whose reply must not be an error; the error otherwise, with the command named. */
    public Object require(String... command) throws IOException {
        Object reply = call(command);
        if (reply instanceof Error error) {
            throw new IOException("Redis at " + endpoint + " refused '" + String.join(" ", redacted(command)) + "': "
                    + error.message());
        }
        return reply;
    }

    /** {@code CONFIG GET name}: the value, or an error when Redis has no such parameter. */
    public String configGet(String name) throws IOException {
        Object reply = require("CONFIG", "GET", name);
        if (reply instanceof List<?> pair && pair.size() == 2) {
            return String.valueOf(pair.get(1));
        }
        throw new IOException("Redis at " + endpoint + " has no configuration parameter '" + name + "' (CONFIG GET"
                + " answered " + reply + "); this fault needs Redis 7.0 or later");
    }

    /** One field of {@code INFO section}, such as {@code connected_clients}; empty when Redis does not report it. */
    public String info(String section, String field) throws IOException {
        String text = String.valueOf(require("INFO", section));
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "";
    }

    /** Writes commands without reading their replies: a pipeline. */
    public synchronized void send(String... command) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        encode(buffer, command);
        out.write(buffer.toByteArray());
        out.flush();
    }

    /** Writes the same command {@code times} times in one write, so that Redis reads them together. */
    public synchronized void sendRepeatedly(int times, String... command) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (int i = 0; i < times; i++) {
            encode(buffer, command);
        }
        out.write(buffer.toByteArray());
        out.flush();
    }

    /** Reads one reply. */
    public Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("Redis at " + endpoint + " closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(length);
                if (data.length < length) {
                    throw new EOFException("Redis at " + endpoint + " closed the connection in the middle of a reply");
                }
                line();
                yield new String(data, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("Redis at " + endpoint + " answered something that is not RESP: '"
                    + (char) type + line + "'");
        };
    }

    /** Whether the connection was closed on this side. */
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("Redis at " + endpoint + " closed the connection in the middle of a reply");
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    private static void encode(ByteArrayOutputStream buffer, String... command) {
        buffer.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String argument : command) {
            byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
            buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buffer.writeBytes(bytes);
            buffer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String[] redacted(String... command) {
        return command.length > 0 && command[0].equalsIgnoreCase("AUTH") ? new String[] {"AUTH", "***"} : command;
    }

    private static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
}
