package dev.gameday.demo.config;

import dev.gameday.demo.Flaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_USER", "trading");
        env.put("DATABASE_PASSWORD", "secret");
        return env;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = minimal();
        env.put(name, value);
        return env;
    }

    @Test
    void appliesNamedDefaultsWhenOnlyCredentialsAreSet() {
        DemoConfig config = DemoConfig.fromEnvironment(minimal());

        assertThat(config.http().port()).isEqualTo(HttpConfig.DEFAULT_PORT).isEqualTo(8080);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://postgres:5432/trading");
        assertThat(config.database().poolSize()).isEqualTo(16);
        assertThat(config.database().poolTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.database().statementTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.redis().host()).isEqualTo("redis");
        assertThat(config.redis().port()).isEqualTo(6379);
        assertThat(config.redis().timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.redis().poolSize()).isEqualTo(32);
        assertThat(config.redis().cacheTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.redis().breakerOpenDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.exchange().url()).isEqualTo(URI.create("http://exchange:8080"));
        assertThat(config.exchange().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.exchange().breakerFailureThreshold()).isEqualTo(50f);
        assertThat(config.exchange().breakerOpenDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.exchange().breakerHalfOpenCalls()).isEqualTo(3);
        assertThat(config.risk().maxNotional()).isEqualByComparingTo(new BigDecimal("1000000"));
        assertThat(config.flaws()).isEmpty();
    }

    @Test
    void readsEveryVariable() {
        Map<String, String> env = minimal();
        env.put("HTTP_PORT", "9090");
        env.put("HTTP_MAX_THREADS", "64");
        env.put("DATABASE_URL", "jdbc:postgresql://db:5433/orders");
        env.put("DATABASE_POOL_SIZE", "4");
        env.put("DATABASE_POOL_TIMEOUT", "1s");
        env.put("DATABASE_STATEMENT_TIMEOUT", "500ms");
        env.put("REDIS_HOST", "cache");
        env.put("REDIS_PORT", "6380");
        env.put("REDIS_TIMEOUT", "20ms");
        env.put("REDIS_POOL_SIZE", "8");
        env.put("CACHE_TTL", "1m");
        env.put("REDIS_BREAKER_OPEN_DURATION", "1s");
        env.put("EXCHANGE_URL", "https://exchange.test:8443/");
        env.put("EXCHANGE_TIMEOUT", "2s");
        env.put("EXCHANGE_BREAKER_FAILURE_THRESHOLD", "25%");
        env.put("EXCHANGE_BREAKER_OPEN_DURATION", "10s");
        env.put("EXCHANGE_BREAKER_HALF_OPEN_CALLS", "5");
        env.put("RISK_MAX_NOTIONAL", "2500.50");
        env.put("DEMO_FLAWS", " leaking-pool , no-redis-timeout,");

        DemoConfig config = DemoConfig.fromEnvironment(env);

        assertThat(config.http()).isEqualTo(new HttpConfig(9090, 64));
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5433/orders");
        assertThat(config.database().poolTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.database().statementTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.redis()).isEqualTo(new RedisConfig("cache", 6380, Duration.ofMillis(20), 8, Duration.ofMinutes(1),
                Duration.ofSeconds(1)));
        assertThat(config.exchange()).isEqualTo(new ExchangeConfig(URI.create("https://exchange.test:8443/"),
                Duration.ofSeconds(2), 25f, Duration.ofSeconds(10), 5));
        assertThat(config.risk().maxNotional()).isEqualByComparingTo("2500.50");
        assertThat(config.flaws()).containsExactlyInAnyOrder(Flaw.LEAKING_POOL, Flaw.NO_REDIS_TIMEOUT);
        assertThat(config.has(Flaw.LEAKING_CACHE)).isFalse();
    }

    @Test
    void rejectsDurationWithoutUnitNamingTheVariable() {
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(with("REDIS_TIMEOUT", "50")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("REDIS_TIMEOUT: expected a whole number with a unit (ms, s, m or h) such as 50ms, 2s or 1m,"
                        + " but was '50'. Write it like 50ms (the default) or unset it.");
    }

    @Test
    void rejectsPoolTimeoutBelowHikariFloor() {
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(with("DATABASE_POOL_TIMEOUT", "100ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DATABASE_POOL_TIMEOUT: expected at least 250ms (HikariCP replaces anything shorter with 30s),"
                        + " but was '100ms'");
    }

    @Test
    void rejectsUnknownFlawListingTheKnownOnes() {
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(with("DEMO_FLAWS", "leaking-pool,slow-disk")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DEMO_FLAWS: unknown flaw 'slow-disk'. Known flaws are: no-redis-timeout,"
                        + " breaker-never-half-opens, leaking-cache, leaking-pool, cache-required, no-database-timeout,"
                        + " no-exchange-timeout, no-exchange-fallback, ack-before-commit, expensive-request-path."
                        + " Remove it or fix its spelling.");
    }

    @Test
    void readsEveryNewFlawAndTheDepthOfTheLeakingCacheSnapshot() {
        Map<String, String> env = new HashMap<>(with("DEMO_FLAWS", "cache-required,no-database-timeout,no-exchange-timeout,"
                + "no-exchange-fallback,ack-before-commit,expensive-request-path,leaking-cache"));
        env.put("HOT_ORDERS_BOOK_LEVELS", "4000");
        env.put("VALUE_AT_RISK_PATHS", "60000");

        DemoConfig config = DemoConfig.fromEnvironment(env);

        assertThat(config.flaws()).containsExactlyInAnyOrder(Flaw.CACHE_REQUIRED, Flaw.NO_DATABASE_TIMEOUT,
                Flaw.NO_EXCHANGE_TIMEOUT, Flaw.NO_EXCHANGE_FALLBACK, Flaw.ACK_BEFORE_COMMIT, Flaw.EXPENSIVE_REQUEST_PATH,
                Flaw.LEAKING_CACHE);
        assertThat(config.hotOrdersBookLevels()).isEqualTo(4000);
        assertThat(config.risk().valueAtRiskPaths()).isEqualTo(60_000);
        assertThat(DemoConfig.fromEnvironment(with("DEMO_FLAWS", "")).risk().valueAtRiskPaths())
                .as("default paths").isEqualTo(RiskConfig.DEFAULT_VALUE_AT_RISK_PATHS);
        assertThat(DemoConfig.fromEnvironment(with("DEMO_FLAWS", "")).hotOrdersBookLevels())
                .as("default depth").isEqualTo(DemoConfig.DEFAULT_HOT_ORDERS_BOOK_LEVELS);
    }

    @Test
    void rejectsAnEmptyLeakingCacheSnapshot() {
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(with("HOT_ORDERS_BOOK_LEVELS", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("HOT_ORDERS_BOOK_LEVELS");
    }

    @Test
    void requiresDatabaseCredentials() {
        ConfigException invalid = catchThrowableOfType(ConfigException.class, () -> DemoConfig.fromEnvironment(Map.of()));

        assertThat(invalid.problems()).containsExactly(
                "DATABASE_USER is not set. Set it to the PostgreSQL user the service logs in as, for example DATABASE_USER=trading.",
                "DATABASE_PASSWORD is not set. Set it to that user's password (an empty value is allowed for trust authentication).");
        assertThat(invalid).hasMessageStartingWith("Invalid configuration (2 problems); the service did not start:");
    }

    @Test
    void rejectsBlankUserButAcceptsEmptyPassword() {
        Map<String, String> env = minimal();
        env.put("DATABASE_PASSWORD", "");
        assertThat(DemoConfig.fromEnvironment(env).database().password()).isEmpty();

        env.put("DATABASE_USER", " ");
        assertThatThrownBy(() -> DemoConfig.fromEnvironment(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DATABASE_USER is not set.");
    }

    @Test
    void reportsEveryInvalidVariableAtOnce() {
        Map<String, String> env = minimal();
        env.put("HTTP_PORT", "eighty");
        env.put("EXCHANGE_URL", "exchange:8080");
        env.put("EXCHANGE_BREAKER_FAILURE_THRESHOLD", "150");
        env.put("RISK_MAX_NOTIONAL", "-5");
        env.put("DATABASE_URL", "jdbc:mysql://db/trading");

        ConfigException invalid = catchThrowableOfType(ConfigException.class, () -> DemoConfig.fromEnvironment(env));

        assertThat(invalid.problems()).hasSize(5);
        assertThat(invalid.problems()).anySatisfy(problem -> assertThat(problem)
                .isEqualTo("HTTP_PORT: expected a whole number from 0 to 65535, but was 'eighty'. Set it within that range"
                        + " or unset it to use the default 8080."));
        assertThat(invalid.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("EXCHANGE_URL: expected an absolute http(s) URL such as http://exchange:8080, but was 'exchange:8080'"));
        assertThat(invalid.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("EXCHANGE_BREAKER_FAILURE_THRESHOLD: expected a percentage above 0 and at most 100"));
        assertThat(invalid.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("RISK_MAX_NOTIONAL: expected a positive decimal number"));
        assertThat(invalid.problems()).anySatisfy(problem -> assertThat(problem)
                .startsWith("DATABASE_URL: expected a URL starting with 'jdbc:postgresql:'"));
    }

    @Test
    void treatsBlankValuesAsUnset() {
        DemoConfig config = DemoConfig.fromEnvironment(with("REDIS_TIMEOUT", "  "));

        assertThat(config.redis().timeout()).isEqualTo(RedisConfig.DEFAULT_TIMEOUT);
    }

    @Test
    void neverPrintsThePassword() {
        DemoConfig config = DemoConfig.fromEnvironment(minimal());

        assertThat(config.toString()).doesNotContain("secret").contains("password=***");
    }
}
