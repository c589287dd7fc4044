package dev.gameday.faults.internal;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.faults.Disruption.Observation;
import dev.gameday.faults.Disruption.Observation.Effect;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What each network check concludes from what a real server on loopback does: the effect, its absence, or neither.
 * The server plays the part of a dependency behind a toxic (answering late, cutting an answer, closing late,
 * resetting), so every verdict, including the ones a fault should never reach, is shown to be reachable.
 */
class NetworkChecksTest {

    private static final byte[] PONG = "+PONG\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void silenceShowsATimeoutAndAnAnswerItsAbsence() throws Exception {
        try (Server silent = Server.start(socket -> sleep(2_000));
             Server answering = Server.start(socket -> write(socket, PONG))) {
            assertThat(effect(NetworkChecks.silence(Probes.forProtocol(Protocol.REDIS, silent.endpoint()))))
                    .isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.silence(Probes.forProtocol(Protocol.REDIS, answering.endpoint()))))
                    .isEqualTo(Effect.NOT_IN_EFFECT);
        }
    }

    @Test
    void aSlowedCheckNeedsAnAnswerAndTellsLateFromFast() throws Exception {
        try (Server late = Server.start(socket -> {
            sleep(300);
            write(socket, PONG);
        });
             Server fast = Server.start(socket -> write(socket, PONG));
             Server silent = Server.start(socket -> sleep(2_000))) {
            assertThat(effect(NetworkChecks.slowed(ping(late), ofMillis(300), ofMillis(300))))
                    .isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.slowed(ping(fast), ofMillis(300), ofMillis(300))))
                    .isEqualTo(Effect.NOT_IN_EFFECT);
            assertThat(effect(NetworkChecks.slowed(ping(silent), ofMillis(100), ofMillis(100))))
                    .as("silence shows neither").isEqualTo(Effect.INCONCLUSIVE);
        }
    }

    @Test
    void aResetOrACloseWithoutAnswerShowsAResetPeerButSilenceDoesNot() throws Exception {
        try (Server resetting = Server.start(socket -> {
            socket.setSoLinger(true, 0);
            socket.close();
        });
             Server closing = Server.start(Socket::close);
             Server answering = Server.start(socket -> write(socket, PONG));
             Server silent = Server.start(socket -> sleep(2_000))) {
            assertThat(effect(NetworkChecks.endedWithoutAnswer(question(resetting)))).isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.endedWithoutAnswer(question(closing)))).isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.endedWithoutAnswer(question(answering)))).isEqualTo(Effect.NOT_IN_EFFECT);
            assertThat(effect(NetworkChecks.endedWithoutAnswer(question(silent)))).isEqualTo(Effect.INCONCLUSIVE);
        }
    }

    @Test
    void anAnswerCutAtTheLimitShowsTheLimitAndAWholeOneItsAbsence() throws Exception {
        byte[] whole = echo(2_000);
        try (Server cutting = Server.start(socket -> write(socket, java.util.Arrays.copyOf(whole, 1_000)));
             Server answering = Server.start(socket -> write(socket, whole))) {
            assertThat(effect(NetworkChecks.cutAfter(Conversation.redisEcho(cutting.endpoint(), 2_000), 1_000)))
                    .isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.cutAfter(Conversation.redisEcho(answering.endpoint(), 2_000), 1_000)))
                    .isEqualTo(Effect.NOT_IN_EFFECT);
        }
    }

    @Test
    void anHttpAnswerCutShortOfItsContentLengthShowsTheLimit() throws Exception {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Server cutting = Server.start(socket -> {
            write(socket, head);
            write(socket, new byte[1_000 - head.length]);
        })) {
            assertThat(effect(NetworkChecks.cutAfter(Conversation.httpGet(cutting.endpoint(), false), 1_000)))
                    .isEqualTo(Effect.IN_EFFECT);
        }
    }

    @Test
    void aCloseLongAfterTheAnswerShowsASlowCloseAndAPromptOneItsAbsence() throws Exception {
        byte[] answer = "+PONG\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Server lateClose = Server.start(socket -> {
            write(socket, answer);
            sleep(400);
        });
             Server neverCloses = Server.start(socket -> {
                 write(socket, answer);
                 sleep(3_000);
             });
             Server promptClose = Server.start(socket -> write(socket, answer))) {
            Duration delay = ofMillis(400);
            assertThat(effect(NetworkChecks.closedNoSoonerThan(Conversation.redisQuit(lateClose.endpoint()), delay)))
                    .isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.closedNoSoonerThan(Conversation.redisQuit(neverCloses.endpoint()), delay)))
                    .as("still open half the delay after the answer").isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.closedNoSoonerThan(Conversation.redisQuit(promptClose.endpoint()), delay)))
                    .isEqualTo(Effect.NOT_IN_EFFECT);
        }
    }

    @Test
    void anAnswerTrickledAtTheRateShowsTheBandwidthLimitAndAFastOneItsAbsence() throws Exception {
        byte[] whole = echo(1_000);
        try (Server trickling = Server.start(socket -> {
            for (int at = 0; at < whole.length; at += 100) {
                write(socket, java.util.Arrays.copyOfRange(whole, at, Math.min(whole.length, at + 100)));
                sleep(100);
            }
        });
             Server fast = Server.start(socket -> write(socket, whole))) {
            // 1 000 bytes at 1 000 bytes/s: one second
            assertThat(effect(NetworkChecks.atMostRate(Conversation.redisEcho(trickling.endpoint(), 1_000), 1_000)))
                    .isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.atMostRate(Conversation.redisEcho(fast.endpoint(), 1_000), 1_000)))
                    .isEqualTo(Effect.NOT_IN_EFFECT);
            assertThat(effect(NetworkChecks.atMostRate(Conversation.redisEcho(fast.endpoint(), 1_000), 1_000_000)))
                    .as("an answer too small to take 100 ms at the rate shows neither").isEqualTo(Effect.INCONCLUSIVE);
        }
    }

    @Test
    void aSlicedAnswerTakesItsSlicesDelays() throws Exception {
        byte[] whole = echo(2_000);
        try (Server slicing = Server.start(socket -> {
            for (int at = 0; at < whole.length; at += 100) {
                write(socket, java.util.Arrays.copyOfRange(whole, at, Math.min(whole.length, at + 100)));
                sleep(10);
            }
        });
             Server fast = Server.start(socket -> write(socket, whole))) {
            Conversation sliced = Conversation.redisEcho(slicing.endpoint(), 2_000);
            assertThat(effect(NetworkChecks.sliced(sliced, 100, ofMillis(10)))).isEqualTo(Effect.IN_EFFECT);
            assertThat(effect(NetworkChecks.sliced(Conversation.redisEcho(fast.endpoint(), 2_000), 100, ofMillis(10))))
                    .isEqualTo(Effect.NOT_IN_EFFECT);
        }
    }

    private static Effect effect(NetworkChecks.Check check) {
        Observation observation = check.observe();
        return observation.effect();
    }

    private static dev.gameday.faults.Probe ping(Server server) {
        return Probes.forProtocol(Protocol.REDIS, server.endpoint());
    }

    private static Conversation question(Server server) {
        return Conversation.question(Protocol.REDIS, server.endpoint());
    }

    /** Redis's answer to a PING carrying {@code size} bytes. */
    private static byte[] echo(int size) {
        return ("$" + size + "\r\n" + "x".repeat(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface Behaviour {
        void serve(Socket socket) throws IOException;
    }

    /** A loopback server that reads what a client sends first, then behaves as told, then closes the connection. */
    private record Server(ServerSocket socket, Thread thread) implements AutoCloseable {

        static Server start(Behaviour behaviour) throws IOException {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Thread connection = new Thread(() -> {
                            try (client) {
                                InputStream in = client.getInputStream();
                                in.read(new byte[64 * 1024]);
                                behaviour.serve(client);
                            } catch (IOException e) {
                                // the client went away
                            }
                        });
                        connection.setDaemon(true);
                        connection.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
            return new Server(server, thread);
        }

        Endpoint endpoint() {
            return new Endpoint("127.0.0.1", socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
