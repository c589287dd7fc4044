package dev.gameday.demo.service;

import dev.gameday.demo.Flaw;
import dev.gameday.demo.cache.CacheLookup;
import dev.gameday.demo.cache.CacheUnavailableException;
import dev.gameday.demo.cache.HotOrders;
import dev.gameday.demo.cache.RedisOrderCache;
import dev.gameday.demo.database.DatabaseUnavailableException;
import dev.gameday.demo.database.OrderStore;
import dev.gameday.demo.exchange.ExchangeClient;
import dev.gameday.demo.order.Order;
import dev.gameday.demo.order.OrderJson;
import dev.gameday.demo.order.OrderRequest;
import dev.gameday.demo.order.OrderStatus;
import dev.gameday.demo.order.RiskCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Places and reads orders: risk check, commit in PostgreSQL, route to the exchange, cache in Redis.
 *
 * <p>PostgreSQL is the only hard dependency: an order is acknowledged only once committed there. The exchange
 * and Redis degrade the answer (PENDING_ROUTE, cache bypassed) but never fail it.
 */
public final class OrderService {

    private final RiskCheck risk;
    private final OrderStore store;
    private final ExchangeClient exchange;
    private final RedisOrderCache cache;
    private final HotOrders hotOrders;
    private final Clock clock;
    private final Counter routed;
    private final Counter pendingRoute;
    private final boolean cacheRequired;
    private final boolean noExchangeFallback;

    public OrderService(RiskCheck risk, OrderStore store, ExchangeClient exchange, RedisOrderCache cache,
                        HotOrders hotOrders, Clock clock, MeterRegistry registry) {
        this(risk, store, exchange, cache, hotOrders, clock, registry, Set.of());
    }

    /** A service with these flaws switched on; only {@code cache-required} and {@code no-exchange-fallback} act here. */
    public OrderService(RiskCheck risk, OrderStore store, ExchangeClient exchange, RedisOrderCache cache,
                        HotOrders hotOrders, Clock clock, MeterRegistry registry, Set<Flaw> flaws) {
        this.cacheRequired = flaws.contains(Flaw.CACHE_REQUIRED);
        this.noExchangeFallback = flaws.contains(Flaw.NO_EXCHANGE_FALLBACK);
        this.risk = risk;
        this.store = store;
        this.exchange = exchange;
        this.cache = cache;
        this.hotOrders = hotOrders;
        this.clock = clock;
        this.routed = placed(registry, OrderStatus.ROUTED);
        this.pendingRoute = placed(registry, OrderStatus.PENDING_ROUTE);
    }

    /** An order placed and its JSON. */
    public record Placed(Order order, byte[] json) {
    }

    /** An order read and where it came from. */
    public record Read(byte[] json, CacheLookup.Outcome cache) {
    }

    /**
     * Places the order: committed in PostgreSQL first, then routed, then cached.
     *
     * @throws dev.gameday.demo.order.OrderRejectedException when the request fails the risk check
     * @throws DatabaseUnavailableException when the order could not be committed, or its routing not recorded
     * @throws ExchangeUnavailableException only with the {@code no-exchange-fallback} flaw, when routing failed
     * @throws CacheUnavailableException only with the {@code cache-required} flaw, when the cache write failed
     */
    public Placed place(OrderRequest request) {
        RiskCheck.Approved approved = risk.approve(request);
        Order order = Order.accepted(UUID.randomUUID(), approved, now());
        store.insert(order);
        // The connection went back to the pool before the exchange call: a slow exchange must not starve the database pool.
        Optional<String> exchangeOrderId = noExchangeFallback ? Optional.of(routeOrFail(order)) : exchange.route(order);
        if (exchangeOrderId.isPresent()) {
            order = order.routed(exchangeOrderId.get(), now());
            try {
                store.markRouted(order);
            } catch (DatabaseUnavailableException failure) {
                throw failure.afterCommitOf(order.id());
            }
            routed.increment();
        } else {
            pendingRoute.increment();
        }
        byte[] json = OrderJson.write(order);
        if (cacheRequired) {
            // The flaw: the cache write treated as part of the acknowledgement ("the order view must be in Redis").
            UUID id = order.id();
            cache.store(id, json).ifPresent(why -> {
                throw new CacheUnavailableException(id, "could not cache the order in Redis: " + why);
            });
        } else {
            cache.put(order.id(), json);
        }
        hotOrders.remember(order, json);
        return new Placed(order, json);
    }

    /** The no-exchange-fallback flaw: the routing failure propagates to the client, after the order was committed. */
    private String routeOrFail(Order order) {
        try {
            return exchange.routeOrFail(order);
        } catch (ExchangeClient.RoutingFailedException failed) {
            throw new ExchangeUnavailableException(order.id(), "could not route the order to the exchange: "
                    + failed.getMessage());
        }
    }

    /**
     * The order with this id: from the cache, else from PostgreSQL (and then cached again).
     *
     * @throws DatabaseUnavailableException when the cache cannot answer and the database cannot either
     */
    public Optional<Read> read(UUID id) {
        byte[] hot = hotOrders.find(id);
        if (hot != null) {
            return Optional.of(new Read(hot, CacheLookup.Outcome.HIT));
        }
        CacheLookup lookup = cache.get(id);
        if (lookup.outcome() == CacheLookup.Outcome.HIT) {
            return Optional.of(new Read(lookup.json(), CacheLookup.Outcome.HIT));
        }
        Optional<Order> order = store.find(id);
        if (order.isEmpty()) {
            return Optional.empty();
        }
        byte[] json = OrderJson.write(order.get());
        // After a failed lookup, a write would most likely wait for the same timeout again.
        if (lookup.outcome() == CacheLookup.Outcome.MISS) {
            cache.put(id, json);
        }
        return Optional.of(new Read(json, lookup.outcome()));
    }

    private Instant now() {
        // PostgreSQL keeps microseconds; truncating here keeps the cached JSON equal to what a database read returns.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Counter placed(MeterRegistry registry, OrderStatus status) {
        return Counter.builder("demo.orders.placed").description("Orders acknowledged, by status")
                .tag("status", status.name()).register(registry);
    }
}
