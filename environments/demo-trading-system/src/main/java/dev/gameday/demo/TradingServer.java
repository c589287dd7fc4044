package dev.gameday.demo;

import dev.gameday.demo.cache.HotOrders;
import dev.gameday.demo.cache.LeakingHotOrders;
import dev.gameday.demo.cache.RedisOrderCache;
import dev.gameday.demo.config.ConfigException;
import dev.gameday.demo.config.DemoConfig;
import dev.gameday.demo.config.Durations;
import dev.gameday.demo.database.Database;
import dev.gameday.demo.database.JdbcOrderStore;
import dev.gameday.demo.database.LeakyJdbcOrderStore;
import dev.gameday.demo.database.OrderStore;
import dev.gameday.demo.database.WriteBehindOrderStore;
import dev.gameday.demo.exchange.ExchangeClient;
import dev.gameday.demo.health.Readiness;
import dev.gameday.demo.http.ApiHandler;
import dev.gameday.demo.order.RiskCheck;
import dev.gameday.demo.service.OrderService;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo trading system: an order API in front of PostgreSQL, Redis and an exchange, with switchable flaws.
 *
 * <p>Run it with {@code java -jar demo-trading-system.jar} (configured by environment variables), or in-process:
 * <pre>{@code
 * try (TradingServer system = TradingServer.start(DemoConfig.fromEnvironment(env))) {
 *     URI api = system.uri();
 * }
 * }</pre>
 * Closing stops the server and releases every pool.
 */
public final class TradingServer implements AutoCloseable {

    /** Exit status for an invalid configuration. */
    public static final int EXIT_BAD_CONFIG = 2;
    /** Exit status when the service cannot start for another reason. */
    public static final int EXIT_START_FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger(TradingServer.class);
    private static final int MIN_THREADS = 8;
    private static final Duration THREAD_IDLE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long in-flight requests may finish when the service stops. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Server server;
    private final Deque<AutoCloseable> resources;
    private boolean closed;

    private TradingServer(Server server, Deque<AutoCloseable> resources) {
        this.server = server;
        this.resources = resources;
    }

    /**
     * Starts the service and returns once it accepts requests; the database may still be down (readiness says so).
     *
     * @throws IllegalStateException when the HTTP port cannot be bound; everything started so far is released
     */
    public static TradingServer start(DemoConfig config) {
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.push(registry::close);
            bindJvmMetrics(registry, resources);
            for (Flaw flaw : Flaw.values()) {
                Gauge.builder("demo.flaw.enabled", () -> config.has(flaw) ? 1 : 0)
                        .description("1 when the flaw is switched on").tag("flaw", flaw.id()).register(registry);
            }

            CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
            breakers.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                    .onStateTransition(TradingServer::logTransition));
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);

            Database database = Database.open(config.database(), config.has(Flaw.NO_DATABASE_TIMEOUT), registry);
            resources.push(database);
            OrderStore store = config.has(Flaw.LEAKING_POOL)
                    ? new LeakyJdbcOrderStore(database.dataSource(), config.database())
                    : new JdbcOrderStore(database.dataSource(), config.database());
            if (config.has(Flaw.ACK_BEFORE_COMMIT)) {
                WriteBehindOrderStore writeBehind = new WriteBehindOrderStore(store, database.dataSource(), registry);
                resources.push(writeBehind); // closed before the database, so a graceful stop commits the queue
                store = writeBehind;
            }
            RedisOrderCache cache = RedisOrderCache.create(config.redis(), config.has(Flaw.NO_REDIS_TIMEOUT), breakers, registry);
            resources.push(cache);
            ExchangeClient exchange = ExchangeClient.create(config.exchange(), config.has(Flaw.BREAKER_NEVER_HALF_OPENS),
                    config.has(Flaw.NO_EXCHANGE_TIMEOUT), breakers);
            resources.push(exchange);
            HotOrders hotOrders = config.has(Flaw.LEAKING_CACHE)
                    ? new LeakingHotOrders(registry, config.hotOrdersBookLevels()) : HotOrders.NONE;

            OrderService orders = new OrderService(new RiskCheck(config.risk(), config.has(Flaw.EXPENSIVE_REQUEST_PATH)),
                    store, exchange, cache, hotOrders, Clock.systemUTC(), registry, config.flaws());
            Readiness readiness = new Readiness(database, cache, exchange, System::nanoTime);
            ApiHandler api = new ApiHandler(orders, readiness, registry, liveJson(config));

            Server server = server(config, api, registry);
            resources.push(server::stop);
            server.start();
            TradingServer system = new TradingServer(server, resources);
            logStarted(config, system.uri().getPort());
            return system;
        } catch (Exception failure) {
            String hint = failure instanceof IOException
                    ? ". Check that HTTP_PORT " + config.http().port() + " is free, or choose another port."
                    : ".";
            IllegalStateException startFailed = new IllegalStateException("Demo trading system could not start: "
                    + failure.getMessage() + hint, failure);
            closeAll(resources, startFailed);
            throw startFailed;
        }
    }

    /** The base URI of the API, with the port actually bound. */
    public URI uri() {
        return URI.create("http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /** Stops accepting requests, lets in-flight ones finish for a few seconds, and releases every pool. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = closeAll(resources, null);
        if (failure != null) {
            throw failure;
        }
    }

    /** The entry point of the container: configuration from the environment, exit status 2 when it is invalid. */
    public static void main(String[] args) {
        DemoConfig config;
        try {
            config = DemoConfig.fromEnvironment(System.getenv());
        } catch (ConfigException invalid) {
            System.err.println(invalid.getMessage());
            System.exit(EXIT_BAD_CONFIG);
            return;
        }
        TradingServer system;
        try {
            system = start(config);
        } catch (RuntimeException failed) {
            LOG.error("{}", failed.getMessage(), failed);
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping: finishing in-flight requests for up to {}", Durations.format(STOP_TIMEOUT));
            system.close();
        }, "shutdown"));
    }

    private static Server server(DemoConfig config, ApiHandler api, PrometheusMeterRegistry registry) {
        QueuedThreadPool threads = new QueuedThreadPool(config.http().maxThreads(), MIN_THREADS,
                Math.toIntExact(THREAD_IDLE_TIMEOUT.toMillis()));
        threads.setName("http");
        Gauge.builder("demo.http.threads", threads, QueuedThreadPool::getBusyThreads).tag("state", "busy").register(registry);
        Gauge.builder("demo.http.threads", threads, QueuedThreadPool::getThreads).tag("state", "started").register(registry);
        Gauge.builder("demo.http.threads", threads, QueuedThreadPool::getMaxThreads).tag("state", "max").register(registry);
        Gauge.builder("demo.http.queued.jobs", threads, QueuedThreadPool::getQueueSize)
                .description("Jobs waiting for a request thread").register(registry);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(config.http().port());
        connector.setIdleTimeout(CONNECTION_IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(api);
        server.setStopTimeout(STOP_TIMEOUT.toMillis());
        return server;
    }

    private static void logTransition(CircuitBreakerOnStateTransitionEvent event) {
        if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
            LOG.info("Circuit breaker '{}' closed again: {}", event.getCircuitBreakerName(), event.getStateTransition());
        } else {
            LOG.warn("Circuit breaker '{}': {}", event.getCircuitBreakerName(), event.getStateTransition());
        }
    }

    private static void bindJvmMetrics(PrometheusMeterRegistry registry, Deque<AutoCloseable> resources) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        resources.push(gc);
    }

    private static byte[] liveJson(DemoConfig config) {
        String flaws = config.flaws().stream().sorted().map(flaw -> "\"" + flaw.id() + "\"").collect(Collectors.joining(","));
        return ("{\"status\":\"UP\",\"flaws\":[" + flaws + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static void logStarted(DemoConfig config, int port) {
        LOG.info("Demo trading system listening on port {} (database {}, pool {} waiting at most {}; redis {}:{} timeout {}; exchange {} timeout {})",
                port, config.database().url(), config.database().poolSize(), Durations.format(config.database().poolTimeout()),
                config.redis().host(), config.redis().port(), Durations.format(config.redis().timeout()),
                config.exchange().url(), Durations.format(config.exchange().timeout()));
        if (!config.flaws().isEmpty()) {
            LOG.warn("!!! FLAWS SWITCHED ON — this instance misbehaves on purpose: {} !!!", config.flaws().stream().sorted()
                    .map(flaw -> flaw.id() + " (" + flaw.reproduces() + ")").collect(Collectors.joining("; ")));
        }
    }

    /** Closes in reverse order of opening; the first failure is returned, later ones attached as suppressed. */
    private static RuntimeException closeAll(Deque<AutoCloseable> resources, RuntimeException first) {
        RuntimeException failure = first;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception closeFailed) {
                if (failure == null) {
                    failure = new IllegalStateException("Demo trading system did not stop cleanly: " + closeFailed.getMessage(),
                            closeFailed);
                } else {
                    failure.addSuppressed(closeFailed);
                }
            }
        }
        return failure;
    }
}
