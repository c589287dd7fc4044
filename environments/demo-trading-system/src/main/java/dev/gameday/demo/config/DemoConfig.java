package dev.gameday.demo.config;

import dev.gameday.demo.Flaw;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration of the demo trading system, read from environment variables only.
 *
 * <p>Example: {@code DemoConfig config = DemoConfig.fromEnvironment(System.getenv());} throws a
 * {@link ConfigException} listing every invalid variable.
 */
public record DemoConfig(HttpConfig http, DatabaseConfig database, RedisConfig redis, ExchangeConfig exchange,
                         RiskConfig risk, Set<Flaw> flaws, int hotOrdersBookLevels) {

    /** Price levels per side of the order-book snapshot the {@code leaking-cache} flaw keeps with each order (~3 KB). */
    public static final int DEFAULT_HOT_ORDERS_BOOK_LEVELS = 400;
    private static final int MAX_HOT_ORDERS_BOOK_LEVELS = 100_000;

    private static final int MAX_PORT = 65_535;
    private static final int MAX_POOL_SIZE = 1_000;
    private static final int MAX_THREADS = 10_000;
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    private static final Duration MIN_CACHE_TTL = Duration.ofSeconds(1);

    public DemoConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(risk, "risk");
        flaws = Set.copyOf(flaws);
    }

    /** A configuration with the default order-book snapshot depth of the {@code leaking-cache} flaw. */
    public DemoConfig(HttpConfig http, DatabaseConfig database, RedisConfig redis, ExchangeConfig exchange,
                      RiskConfig risk, Set<Flaw> flaws) {
        this(http, database, redis, exchange, risk, flaws, DEFAULT_HOT_ORDERS_BOOK_LEVELS);
    }

    /** Whether {@code flaw} is switched on. */
    public boolean has(Flaw flaw) {
        return flaws.contains(flaw);
    }

    /**
     * The configuration the variables describe, with the named defaults for unset ones.
     *
     * @throws ConfigException listing every invalid or missing variable
     */
    public static DemoConfig fromEnvironment(Map<String, String> environment) {
        EnvironmentReader env = new EnvironmentReader(environment);
        HttpConfig http = new HttpConfig(
                env.integer("HTTP_PORT", HttpConfig.DEFAULT_PORT, 0, MAX_PORT),
                env.integer("HTTP_MAX_THREADS", HttpConfig.DEFAULT_MAX_THREADS, 8, MAX_THREADS));
        DatabaseConfig database = new DatabaseConfig(
                env.prefixed("DATABASE_URL", DatabaseConfig.DEFAULT_URL, "jdbc:postgresql:"),
                env.required("DATABASE_USER", "the PostgreSQL user the service logs in as, for example DATABASE_USER=trading"),
                env.requiredAllowingEmpty("DATABASE_PASSWORD", "that user's password (an empty value is allowed for trust authentication)"),
                env.integer("DATABASE_POOL_SIZE", DatabaseConfig.DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE),
                env.duration("DATABASE_POOL_TIMEOUT", DatabaseConfig.DEFAULT_POOL_TIMEOUT, DatabaseConfig.MIN_POOL_TIMEOUT,
                        "HikariCP replaces anything shorter with 30s"),
                env.duration("DATABASE_STATEMENT_TIMEOUT", DatabaseConfig.DEFAULT_STATEMENT_TIMEOUT, MIN_TIMEOUT,
                        "0 would mean no timeout"));
        RedisConfig redis = new RedisConfig(
                env.string("REDIS_HOST", RedisConfig.DEFAULT_HOST),
                env.integer("REDIS_PORT", RedisConfig.DEFAULT_PORT, 1, MAX_PORT),
                env.duration("REDIS_TIMEOUT", RedisConfig.DEFAULT_TIMEOUT, MIN_TIMEOUT, "0 would mean no timeout"),
                env.integer("REDIS_POOL_SIZE", RedisConfig.DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE),
                env.duration("CACHE_TTL", RedisConfig.DEFAULT_CACHE_TTL, MIN_CACHE_TTL, "Redis expiry counts whole seconds"),
                env.duration("REDIS_BREAKER_OPEN_DURATION", RedisConfig.DEFAULT_BREAKER_OPEN_DURATION, MIN_TIMEOUT,
                        "the breaker must stay open for some time"));
        ExchangeConfig exchange = new ExchangeConfig(
                env.httpUri("EXCHANGE_URL", ExchangeConfig.DEFAULT_URL),
                env.duration("EXCHANGE_TIMEOUT", ExchangeConfig.DEFAULT_TIMEOUT, MIN_TIMEOUT, "0 would mean no timeout"),
                env.percentage("EXCHANGE_BREAKER_FAILURE_THRESHOLD", ExchangeConfig.DEFAULT_BREAKER_FAILURE_THRESHOLD),
                env.duration("EXCHANGE_BREAKER_OPEN_DURATION", ExchangeConfig.DEFAULT_BREAKER_OPEN_DURATION, MIN_TIMEOUT,
                        "the breaker must stay open for some time"),
                env.integer("EXCHANGE_BREAKER_HALF_OPEN_CALLS", ExchangeConfig.DEFAULT_BREAKER_HALF_OPEN_CALLS, 1, MAX_POOL_SIZE));
        RiskConfig risk = new RiskConfig(env.positiveDecimal("RISK_MAX_NOTIONAL", RiskConfig.DEFAULT_MAX_NOTIONAL),
                env.integer("VALUE_AT_RISK_PATHS", RiskConfig.DEFAULT_VALUE_AT_RISK_PATHS, RiskConfig.MIN_VALUE_AT_RISK_PATHS,
                        RiskConfig.MAX_VALUE_AT_RISK_PATHS));
        Set<Flaw> flaws = env.flaws("DEMO_FLAWS");
        int hotOrdersBookLevels = env.integer("HOT_ORDERS_BOOK_LEVELS", DEFAULT_HOT_ORDERS_BOOK_LEVELS, 1,
                MAX_HOT_ORDERS_BOOK_LEVELS);
        if (!env.problems().isEmpty()) {
            throw new ConfigException(env.problems());
        }
        return new DemoConfig(http, database, redis, exchange, risk, flaws, hotOrdersBookLevels);
    }
}
