package dev.gameday.demo.exchange;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gameday.demo.config.Durations;
import dev.gameday.demo.config.ExchangeConfig;
import dev.gameday.demo.order.Order;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Routes orders to the exchange ({@code POST /api/v3/order}) through the {@code exchange} circuit breaker, bounded
 * by the exchange timeout.
 *
 * <p>Example: {@code Optional<String> exchangeOrderId = exchange.route(order);} is empty when the call failed or
 * the breaker is open; the caller then keeps the order PENDING_ROUTE.
 */
public final class ExchangeClient implements AutoCloseable {

    /** The name of the breaker, in metrics and readiness. */
    public static final String BREAKER = "exchange";
    static final String ORDER_PATH = "/api/v3/order";

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final URI orderUri;
    /** Null with the {@code no-exchange-timeout} flaw: no bound at all. */
    private final Duration timeout;
    private final CircuitBreaker breaker;
    private final ExecutorService executor;
    private final HttpClient http;

    private ExchangeClient(ExchangeConfig config, boolean noTimeout, CircuitBreaker breaker) {
        this.timeout = noTimeout ? null : config.timeout();
        this.breaker = breaker;
        String base = config.url().toString();
        this.orderUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + ORDER_PATH);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "exchange-client");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient.Builder http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor);
        // The no-exchange-timeout flaw as it is usually written: the client built with the library's defaults,
        // which wait for a connection and an answer as long as the operating system lets them.
        if (timeout != null) {
            http.connectTimeout(timeout);
        }
        this.http = http.build();
    }

    /** A client whose breaker is registered as {@value #BREAKER}; it never half-opens when {@code neverHalfOpens} (the flaw). */
    public static ExchangeClient create(ExchangeConfig config, boolean neverHalfOpens, CircuitBreakerRegistry breakers) {
        return create(config, neverHalfOpens, false, breakers);
    }

    /**
     * A client whose breaker is registered as {@value #BREAKER}; it never half-opens when {@code neverHalfOpens}, and
     * its calls are not bounded at all when {@code noTimeout} (the flaws).
     */
    public static ExchangeClient create(ExchangeConfig config, boolean neverHalfOpens, boolean noTimeout,
                                        CircuitBreakerRegistry breakers) {
        return new ExchangeClient(config, noTimeout,
                breakers.circuitBreaker(BREAKER, ExchangeBreaker.config(config, neverHalfOpens)));
    }

    /** The exchange's order id for {@code order}, or empty when the exchange failed, timed out or the breaker is open. */
    public Optional<String> route(Order order) {
        try {
            return Optional.of(routeOrFail(order));
        } catch (RoutingFailedException failed) {
            return Optional.empty();
        }
    }

    /**
     * The exchange's order id for {@code order}, through the breaker.
     *
     * @throws RoutingFailedException saying why the order was not routed: breaker open, exchange error or timeout
     */
    public String routeOrFail(Order order) {
        if (!breaker.tryAcquirePermission()) {
            throw new RoutingFailedException("the exchange circuit breaker is open");
        }
        long start = System.nanoTime();
        try {
            String exchangeOrderId = place(order);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return exchangeOrderId;
        } catch (Exception failure) {
            long took = System.nanoTime() - start;
            breaker.onError(took, TimeUnit.NANOSECONDS, failure);
            if (failure instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new RoutingFailedException(failure instanceof TimeoutException || failure instanceof HttpTimeoutException
                    ? "the exchange did not answer within " + Durations.format(timeout)
                    : "the exchange call failed after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms (" + failure + ")");
        }
    }

    /** Why an order could not be routed; the order itself is not affected. */
    public static final class RoutingFailedException extends RuntimeException {

        RoutingFailedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The state of the {@code exchange} breaker. */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private String place(Order order) throws ExchangeException, IOException, InterruptedException, TimeoutException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(orderUri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(order)));
        if (timeout != null) {
            builder.timeout(timeout);
        }
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // The request timeout stops at the response headers; this bounds a body that trickles in too.
            response = timeout == null ? call.get() : call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException abandoned) {
            call.cancel(true);
            throw abandoned;
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof IOException io ? io : new IOException(failed.getCause());
        }
        if (response.statusCode() / 100 != 2) {
            throw new ExchangeException("exchange answered " + response.statusCode());
        }
        JsonNode orderId = MAPPER.readTree(response.body()).get("orderId");
        if (orderId == null || orderId.isNull() || orderId.asText().isEmpty()) {
            throw new ExchangeException("exchange answered " + response.statusCode() + " without an orderId");
        }
        return orderId.asText();
    }

    private static byte[] body(Order order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("clientOrderId", order.id().toString());
            json.writeStringField("symbol", order.symbol());
            json.writeStringField("side", order.side().name());
            json.writeNumberField("quantity", order.quantity());
            json.writeNumberField("price", order.price());
            json.writeEndObject();
        } catch (IOException impossibleInMemory) {
            throw new UncheckedIOException(impossibleInMemory);
        }
        return out.toByteArray();
    }
}
