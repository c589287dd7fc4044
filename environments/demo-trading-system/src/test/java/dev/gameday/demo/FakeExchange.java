package dev.gameday.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny exchange on loopback: accepts orders ({@code {"orderId":"EX-n"}}), fails them with 503, or answers late.
 *
 * <p>Example: {@code try (FakeExchange exchange = FakeExchange.start()) { exchange.fail(); ... }}
 */
public final class FakeExchange implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger orders = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean failing;
    private volatile Duration delay = Duration.ZERO;

    private FakeExchange(HttpServer server) {
        this.server = server;
    }

    public static FakeExchange start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeExchange exchange = new FakeExchange(server);
        server.createContext("/api/v3/order", exchange::handle);
        server.setExecutor(exchange.executor);
        server.start();
        return exchange;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accept every order from now on. */
    public FakeExchange accept() {
        failing = false;
        delay = Duration.ZERO;
        return this;
    }

    /** Answer every order with 503 from now on. */
    public FakeExchange fail() {
        failing = true;
        return this;
    }

    /** Answer every order only after {@code delay}. */
    public FakeExchange delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** How many order requests arrived. */
    public int calls() {
        return orders.get();
    }

    private void handle(HttpExchange http) throws IOException {
        try (http; InputStream body = http.getRequestBody()) {
            body.readAllBytes();
            int n = orders.incrementAndGet();
            if (!delay.isZero()) {
                awaitClosingFor(delay);
            }
            byte[] reply = failing
                    ? "{\"code\":-1003,\"msg\":\"exchange unavailable\"}".getBytes(StandardCharsets.UTF_8)
                    : ("{\"orderId\":\"EX-" + n + "\",\"status\":\"NEW\"}").getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().set("Content-Type", "application/json");
            http.sendResponseHeaders(failing ? 503 : 200, reply.length);
            try (OutputStream out = http.getResponseBody()) {
                out.write(reply);
            }
        }
    }

    /** Holds the answer for {@code delay}, or less when the exchange is closed. */
    private void awaitClosingFor(Duration delay) {
        try {
            closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
