package dev.gameday.scenarios.internal.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener on loopback that a JVM under test takes for its HTTP(S) proxy ({@code -Dhttps.proxyHost}): it records the
 * first line of every connection made to it ({@code CONNECT repo1.maven.org:443 HTTP/1.1} for an HTTPS request) and
 * answers each with 502, so nothing it is asked for ever leaves the machine, online or not.
 */
final class RecordingProxy implements AutoCloseable {

    static final String NO_REQUEST_LINE = "(a connection without a request line)";

    private final ServerSocket listener;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RecordingProxy() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "recording-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The first line of each connection made so far, in order; a connection that sent none counts too. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void serve() {
        while (!listener.isClosed()) {
            try (Socket client = listener.accept()) {
                client.setSoTimeout(2_000);
                String line;
                try {
                    line = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
                } catch (IOException e) {
                    line = null;
                }
                // recorded before the answer, so a caller that has its answer has been recorded
                requests.add(line == null ? NO_REQUEST_LINE : line);
                client.getOutputStream().write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the listener was closed, or one client went away: the loop condition tells which
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
