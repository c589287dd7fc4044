package dev.gameday.demo.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.FakeExchange;
import dev.gameday.demo.config.ExchangeConfig;
import dev.gameday.demo.config.RiskConfig;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.RiskCheck;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExchangeClientTest {

    /**
     * Long enough that a first call on a cold JVM on a busy machine never times out (a success path must not flip
     * under a noisy neighbour), short enough against the slow fake's 30 s to show the timeout bounds the call.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private FakeExchange fake;
    private ExchangeClient exchange;

    @BeforeEach
    void start() throws Exception {
        fake = FakeExchange.start();
        exchange = ExchangeClient.create(new ExchangeConfig(fake.uri(), TIMEOUT, 50f, Duration.ofSeconds(60), 3), false,
                CircuitBreakerRegistry.ofDefaults());
    }

    @AfterEach
    void stop() {
        exchange.close();
        fake.close();
    }

    private static Order order() {
        RiskCheck.Approved approved = new RiskCheck(new RiskConfig(BigDecimal.TEN.pow(9))).approve(
                new OrderRequest("ACC-1", "BTC-USD", "BUY", new BigDecimal("1.5"), new BigDecimal("65000.0")));
        return Order.accepted(UUID.randomUUID(), approved, Instant.now());
    }

    @Test
    void returnsTheExchangeOrderId() {
        assertThat(exchange.route(order())).contains("EX-1");
    }

    @Test
    void returnsNothingWhenTheExchangeFails() {
        fake.fail();

        assertThat(exchange.route(order())).isEmpty();
    }

    @Test
    void boundsASlowExchangeByTheTimeout() {
        fake.delay(Duration.ofSeconds(30));

        long start = System.nanoTime();
        Optional<String> routed = exchange.route(order());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(routed).isEmpty();
        assertThat(took).as("time to give up on an exchange that answers after 30 s").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stopsCallingTheExchangeOnceTheBreakerOpens() {
        fake.fail();
        for (int call = 0; call < ExchangeBreaker.MINIMUM_CALLS; call++) {
            exchange.route(order());
        }
        int callsWhenOpened = fake.calls();

        for (int call = 0; call < 50; call++) {
            assertThat(exchange.route(order())).isEmpty();
        }

        assertThat(exchange.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(fake.calls()).as("calls reaching the exchange while the breaker is open").isEqualTo(callsWhenOpened);
    }

    @Test
    void noExchangeTimeoutFlawWaitsForASlowExchangeAndNeverOpensTheBreaker() throws Exception {
        Duration delay = Duration.ofSeconds(3);
        fake.delay(delay);
        // The same configuration as the healthy client, whose 2 s timeout gives up on this exchange (above).
        try (ExchangeClient flawed = ExchangeClient.create(new ExchangeConfig(fake.uri(), TIMEOUT, 50f,
                Duration.ofSeconds(60), 3), false, true, CircuitBreakerRegistry.ofDefaults())) {
            int calls = ExchangeBreaker.MINIMUM_CALLS;
            ExecutorService clients = Executors.newFixedThreadPool(calls);
            try {
                long start = System.nanoTime();
                List<Future<Optional<String>>> routed = new ArrayList<>();
                for (int call = 0; call < calls; call++) {
                    routed.add(clients.submit(() -> flawed.route(order())));
                }
                for (Future<Optional<String>> each : routed) {
                    assertThat(each.get(60, TimeUnit.SECONDS))
                            .as("a call to an exchange answering after %s, with no timeout", delay).isPresent();
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).as("every call waited for the slow exchange").isGreaterThanOrEqualTo(delay);
                assertThat(flawed.breakerState()).as("breaker after %d slow calls that never failed", calls)
                        .isEqualTo(CircuitBreaker.State.CLOSED);
            } finally {
                clients.shutdownNow();
            }
        }
    }
}
