package dev.gameday.scenarios.internal.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A real HTTP server on loopback with known behaviour per path, for testing the load generator itself. */
final class LocalHttpServer implements AutoCloseable {

    private final HttpServer server;
    // unbounded, so that requests to /hang never starve the other paths
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch never = new CountDownLatch(1);
    private final AtomicLong created = new AtomicLong();

    LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/ok", exchange -> respond(exchange, 200, "{}"));
        // every write is acknowledged with a Location header, like the demo system's order placement
        server.createContext("/create", exchange -> {
            exchange.getResponseHeaders().add("Location", "/things/" + created.incrementAndGet());
            respond(exchange, 201, "{}");
        });
        server.createContext("/unavailable", exchange -> respond(exchange, 503, "{\"error\":\"down\"}"));
        // accepts the request and never answers: a hung dependency
        server.createContext("/hang", exchange -> {
            try {
                never.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "{}");
        });
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        never.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
