package dev.gameday.demo.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.demo.config.ExchangeConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExchangeBreakerTest {

    private static final ExchangeConfig CONFIG = new ExchangeConfig(URI.create("http://exchange:8080"), Duration.ofMillis(500),
            50f, Duration.ofSeconds(60), 3);

    /** A clock the test moves by hand, so no test waits in real time. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static CircuitBreaker openedBreaker(boolean neverHalfOpens, ManualClock clock) {
        CircuitBreaker breaker = CircuitBreaker.of("exchange", ExchangeBreaker.config(CONFIG, neverHalfOpens, clock));
        for (int call = 0; call < ExchangeBreaker.MINIMUM_CALLS; call++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
            breaker.onError(1, TimeUnit.MILLISECONDS, new IOException("exchange down"));
        }
        assertThat(breaker.getState()).as("breaker after %d failed calls", ExchangeBreaker.MINIMUM_CALLS)
                .isEqualTo(CircuitBreaker.State.OPEN);
        return breaker;
    }

    @Test
    void opensAfterMinimumFailedCallsAndHalfOpensAfterRecoveryTimeout() {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = openedBreaker(false, clock);

        clock.advance(Duration.ofSeconds(59));
        assertThat(breaker.tryAcquirePermission()).as("calls are refused before the recovery timeout").isFalse();

        clock.advance(Duration.ofSeconds(2));
        assertThat(breaker.tryAcquirePermission()).as("a probe call is let through after the recovery timeout").isTrue();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
        assertThat(breaker.getCircuitBreakerConfig().isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
    }

    @Test
    void flawedBreakerStaysOpenLongAfterTheExchangeRecovered() {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = openedBreaker(true, clock);

        clock.advance(Duration.ofDays(7));

        assertThat(breaker.tryAcquirePermission()).as("flawed breaker lets no probe through a week later").isFalse();
        assertThat(breaker.getState()).as("flawed breaker state a week later").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.getCircuitBreakerConfig().isAutomaticTransitionFromOpenToHalfOpenEnabled()).isFalse();
    }
}
