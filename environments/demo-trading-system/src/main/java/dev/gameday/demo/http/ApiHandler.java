package dev.gameday.demo.http;

import dev.gameday.demo.cache.CacheUnavailableException;
import dev.gameday.demo.database.DatabaseUnavailableException;
import dev.gameday.demo.health.Readiness;
import dev.gameday.demo.order.InvalidOrderException;
import dev.gameday.demo.order.OrderJson;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.RiskRejectedException;
import dev.gameday.demo.service.ExchangeUnavailableException;
import dev.gameday.demo.service.OrderService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole HTTP API on Jetty's core handler: orders, health and metrics.
 *
 * <p>Blocking by design: each request runs on a thread of the bounded pool, and every dependency call it makes is
 * bounded by a timeout, so a thread is never held indefinitely (unless a flaw removes a timeout).
 */
public final class ApiHandler extends Handler.Abstract {

    /** Larger request bodies are refused with 413. */
    public static final int MAX_BODY = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String ORDERS = "/orders";
    private static final String ORDER_PREFIX = "/orders/";
    private static final int UUID_LENGTH = 36;
    private static final String RETRY_AFTER_SECONDS = "1";

    private final OrderService orders;
    private final Readiness readiness;
    private final PrometheusMeterRegistry prometheus;
    private final byte[] liveJson;
    private final RequestMetrics metrics;

    public ApiHandler(OrderService orders, Readiness readiness, PrometheusMeterRegistry prometheus, byte[] liveJson) {
        this.orders = orders;
        this.readiness = readiness;
        this.prometheus = prometheus;
        this.liveJson = liveJson.clone();
        this.metrics = new RequestMetrics(prometheus);
    }

    /** One response: status, body and the few headers this API sets. */
    private record Reply(int status, byte[] body, String contentType, String header, String headerValue) {

        static Reply json(int status, byte[] body) {
            return new Reply(status, body, JSON, null, null);
        }

        Reply with(String name, String value) {
            return new Reply(status, body, contentType, name, value);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        Endpoint endpoint = endpoint(path);
        Reply reply;
        try {
            reply = switch (endpoint) {
                case PLACE_ORDER -> "POST".equals(method) ? placeOrder(request) : notAllowed("POST");
                case GET_ORDER -> "GET".equals(method) ? getOrder(path.substring(ORDER_PREFIX.length())) : notAllowed("GET");
                case LIVE -> "GET".equals(method) ? Reply.json(200, liveJson) : notAllowed("GET");
                case READY -> "GET".equals(method) ? ready() : notAllowed("GET");
                case METRICS -> "GET".equals(method)
                        ? new Reply(200, prometheus.scrape().getBytes(StandardCharsets.UTF_8), PROMETHEUS, null, null)
                        : notAllowed("GET");
                case OTHER -> Reply.json(404, ErrorJson.of("not_found", "No route for " + method + " " + path
                        + ". The API serves POST /orders, GET /orders/{id}, GET /health/live, GET /health/ready and GET /metrics."));
            };
        } catch (DatabaseUnavailableException unavailable) {
            reply = Reply.json(503, ErrorJson.dependency("database", unavailable.getMessage() + ". Retry after "
                            + RETRY_AFTER_SECONDS + " s.", unavailable.orderId() == null ? null : unavailable.orderId().toString()))
                    .with(HttpHeader.RETRY_AFTER.asString(), RETRY_AFTER_SECONDS);
        } catch (CacheUnavailableException cacheFailed) {
            // Only with the cache-required flaw: the healthy service never fails a request for Redis.
            reply = Reply.json(503, ErrorJson.dependency("redis", cacheFailed.getMessage() + ". Retry after "
                            + RETRY_AFTER_SECONDS + " s.", cacheFailed.orderId().toString()))
                    .with(HttpHeader.RETRY_AFTER.asString(), RETRY_AFTER_SECONDS);
        } catch (ExchangeUnavailableException routingFailed) {
            // Only with the no-exchange-fallback flaw: the healthy service accepts the order as PENDING_ROUTE.
            reply = Reply.json(502, ErrorJson.dependency("exchange", routingFailed.getMessage() + ".",
                    routingFailed.orderId().toString()));
        } catch (RuntimeException bug) {
            LOG.error("Unexpected failure serving {} {}", method, path, bug);
            reply = Reply.json(500, ErrorJson.of("internal_error", "Unexpected failure: " + bug
                    + ". This is a bug in the demo trading system; the logs have the stack trace."));
        }
        send(response, callback, reply);
        metrics.record(endpoint, reply.status(), System.nanoTime() - start);
        return true;
    }

    private static Endpoint endpoint(String path) {
        if (ORDERS.equals(path)) {
            return Endpoint.PLACE_ORDER;
        }
        if (path.startsWith(ORDER_PREFIX)) {
            return Endpoint.GET_ORDER;
        }
        return switch (path) {
            case "/health/live" -> Endpoint.LIVE;
            case "/health/ready" -> Endpoint.READY;
            case "/metrics" -> Endpoint.METRICS;
            default -> Endpoint.OTHER;
        };
    }

    private Reply placeOrder(Request request) {
        if (request.getLength() > MAX_BODY) {
            return tooLarge();
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY + 1);
        } catch (IOException unreadable) {
            // A client that gave up mid-request is not a server fault: no 500, no log line per request.
            return Reply.json(400, ErrorJson.field("invalid_request", "body", "request body could not be read ("
                    + unreadable.getMessage() + "). Send the whole body with the request."));
        }
        if (body.length > MAX_BODY) {
            return tooLarge();
        }
        OrderService.Placed placed;
        try {
            OrderRequest order = OrderJson.parseRequest(body);
            placed = orders.place(order);
        } catch (InvalidOrderException invalid) {
            return Reply.json(400, ErrorJson.field("invalid_request", invalid.field(), invalid.getMessage()));
        } catch (RiskRejectedException rejected) {
            return Reply.json(422, ErrorJson.field("risk_rejected", rejected.field(), rejected.getMessage()));
        }
        return Reply.json(201, placed.json()).with(HttpHeader.LOCATION.asString(), ORDER_PREFIX + placed.order().id());
    }

    private Reply getOrder(String id) {
        UUID orderId;
        try {
            if (id.length() != UUID_LENGTH) {
                throw new IllegalArgumentException("wrong length");
            }
            orderId = UUID.fromString(id);
        } catch (IllegalArgumentException malformed) {
            return Reply.json(400, ErrorJson.field("invalid_request", "id", "order id must be a UUID such as "
                    + "3f2b8c1e-2d4a-4c7e-9a1b-0e5f6a7b8c9d, but was '" + id + "'. Use the id from the Location header of POST /orders."));
        }
        Optional<OrderService.Read> read = orders.read(orderId);
        if (read.isEmpty()) {
            return Reply.json(404, ErrorJson.field("not_found", "id", "No order with id " + orderId + "."));
        }
        return Reply.json(200, read.get().json()).with("X-Cache", read.get().cache().name());
    }

    private Reply ready() {
        Readiness.Report report = readiness.current();
        return Reply.json(report.ready() ? 200 : 503, report.json());
    }

    private static Reply notAllowed(String allowed) {
        return Reply.json(405, ErrorJson.of("method_not_allowed", "This path only accepts " + allowed + "."))
                .with(HttpHeader.ALLOW.asString(), allowed);
    }

    private static Reply tooLarge() {
        return Reply.json(413, ErrorJson.field("invalid_request", "body", "request body must be at most " + MAX_BODY
                + " bytes. Send one order per request."));
    }

    private static void send(Response response, Callback callback, Reply reply) {
        response.setStatus(reply.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        if (reply.header() != null) {
            headers.put(reply.header(), reply.headerValue());
        }
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }
}
