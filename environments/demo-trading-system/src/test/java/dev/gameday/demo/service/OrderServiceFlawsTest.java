package dev.gameday.demo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gameday.demo.FakeExchange;
import dev.gameday.demo.Flaw;
import dev.gameday.demo.cache.CacheUnavailableException;
import dev.gameday.demo.cache.HotOrders;
import dev.gameday.demo.cache.RedisOrderCache;
import dev.gameday.demo.config.ExchangeConfig;
import dev.gameday.demo.config.RedisConfig;
import dev.gameday.demo.config.RiskConfig;
import dev.gameday.demo.exchange.ExchangeBreaker;
import dev.gameday.demo.exchange.ExchangeClient;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.OrderStatus;
import dev.gameday.demo.order.RiskCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The flaws that act in the order service itself, against real parts where it matters: a Redis port that refuses
 * connections (nothing listens on it), and an exchange on loopback that fails every order.
 */
class OrderServiceFlawsTest {

    private static final OrderRequest ORDER = new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("1.5"),
            new BigDecimal("65000.0"));
    /** Long enough that no call to a healthy loopback exchange times out on a busy machine. */
    private static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(2);

    private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
    private final InMemoryOrderStore store = new InMemoryOrderStore();

    @AfterEach
    void cleanUp() throws Exception {
        while (!cleanups.isEmpty()) {
            cleanups.pop().close();
        }
    }

    @Test
    void healthyServiceAcceptsOrdersWhileRedisRefusesConnections() throws Exception {
        OrderService service = service(Set.of(), refusedRedis(), acceptingExchange());

        OrderService.Placed placed = service.place(ORDER);

        assertThat(placed.order().status()).isEqualTo(OrderStatus.ROUTED);
        assertThat(store.committed(placed.order().id())).as("committed order").isPresent();
    }

    @Test
    void cacheRequiredFlawFailsEveryOrderWhileRedisRefusesConnections() throws Exception {
        OrderService service = service(Set.of(Flaw.CACHE_REQUIRED), refusedRedis(), acceptingExchange());

        for (int attempt = 0; attempt < 10; attempt++) {
            CacheUnavailableException failed = catchThrowableOfType(CacheUnavailableException.class, () -> service.place(ORDER));

            assertThat(failed).as("order %d while Redis refuses connections", attempt).isNotNull();
            assertThat(store.committed(failed.orderId())).as("the failed order was committed all the same").isPresent();
            // First Jedis' refusal, then (once the redis breaker opened) the breaker: both fail the order.
            assertThat(failed.getMessage()).startsWith("could not cache the order in Redis: ");
        }
    }

    @Test
    void healthyServiceAcceptsOrdersAsPendingRouteWhileTheExchangeFails() throws Exception {
        FakeExchange exchange = acceptingExchange().fail();
        OrderService service = service(Set.of(), refusedRedis(), exchange);

        for (int order = 0; order < 10; order++) {
            OrderService.Placed placed = service.place(ORDER);
            assertThat(placed.order().status()).isEqualTo(OrderStatus.PENDING_ROUTE);
        }
    }

    @Test
    void noExchangeFallbackFlawFailsOrdersWhileTheExchangeFailsAndWhileItsBreakerIsOpen() throws Exception {
        FakeExchange exchange = acceptingExchange().fail();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        OrderService service = service(Set.of(Flaw.NO_EXCHANGE_FALLBACK), refusedRedis(), exchange, breakers);

        for (int order = 0; order < ExchangeBreaker.MINIMUM_CALLS + 5; order++) {
            ExchangeUnavailableException failed = catchThrowableOfType(ExchangeUnavailableException.class,
                    () -> service.place(ORDER));

            assertThat(failed).as("order %d while the exchange answers 503", order).isNotNull();
            assertThat(store.committed(failed.orderId())).as("the failed order was committed, PENDING_ROUTE")
                    .hasValueSatisfying(committed -> assertThat(committed.status()).isEqualTo(OrderStatus.PENDING_ROUTE));
        }
        assertThat(breakers.circuitBreaker(ExchangeClient.BREAKER).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(catchThrowableOfType(ExchangeUnavailableException.class, () -> service.place(ORDER)))
                .hasMessage("could not route the order to the exchange: the exchange circuit breaker is open");
        assertThat(exchange.calls()).as("calls that reached the exchange before its breaker opened")
                .isEqualTo(ExchangeBreaker.MINIMUM_CALLS);
    }

    private OrderService service(Set<Flaw> flaws, RedisOrderCache cache, FakeExchange exchange) {
        return service(flaws, cache, exchange, CircuitBreakerRegistry.ofDefaults());
    }

    private OrderService service(Set<Flaw> flaws, RedisOrderCache cache, FakeExchange exchange,
                                 CircuitBreakerRegistry breakers) {
        ExchangeClient client = ExchangeClient.create(new ExchangeConfig(exchange.uri(), EXCHANGE_TIMEOUT, 50f,
                Duration.ofSeconds(60), 3), false, breakers);
        cleanups.push(client);
        return new OrderService(new RiskCheck(new RiskConfig(new BigDecimal("1000000"))), store, client, cache,
                HotOrders.NONE, Clock.systemUTC(), new SimpleMeterRegistry(), flaws);
    }

    private FakeExchange acceptingExchange() throws IOException {
        FakeExchange exchange = FakeExchange.start();
        cleanups.push(exchange);
        return exchange;
    }

    /** A cache whose Redis is down: nothing listens on its port, so every connection is refused at once. */
    private RedisOrderCache refusedRedis() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        RedisOrderCache cache = RedisOrderCache.create(new RedisConfig("127.0.0.1", port, Duration.ofMillis(200), 4,
                Duration.ofMinutes(1), Duration.ofSeconds(30)), false, CircuitBreakerRegistry.ofDefaults(),
                new SimpleMeterRegistry());
        cleanups.push(cache);
        return cache;
    }
}
