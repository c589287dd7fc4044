package dev.gameday.demo.database;

import dev.gameday.demo.order.Order;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ack-before-commit} flaw: a write-behind store. {@link #insert} and {@link #markRouted} only queue the
 * order in memory, so the service acknowledges it (201) before anything is committed; a background writer commits
 * the queue in one batch every {@link #FLUSH_INTERVAL}. A process killed in between (OOM kill, {@code kill -9},
 * a node lost) takes the queued orders with it: orders the clients were told were accepted are gone (incident 1).
 *
 * <p>Reads see queued orders, so nothing looks wrong until the process dies. A graceful stop flushes the queue;
 * only a kill loses it. The {@code demo_write_behind_pending} gauge shows how many acknowledged orders are at risk.
 *
 * <pre>{@code
 * OrderStore store = new WriteBehindOrderStore(new JdbcOrderStore(dataSource, config), dataSource, registry);
 * store.insert(order);   // returns at once; committed within about a second
 * }</pre>
 */
public final class WriteBehindOrderStore implements OrderStore, AutoCloseable {

    /** How often the queue is committed: "batching saves a commit per order". */
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    /** At most this many orders per batch. */
    static final int MAX_BATCH = 5_000;
    static final String UPSERT_ORDER = "INSERT INTO orders (id, account, symbol, side, quantity, price, status,"
            + " exchange_order_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, exchange_order_id = EXCLUDED.exchange_order_id,"
            + " updated_at = EXCLUDED.updated_at";

    private static final Logger LOG = LoggerFactory.getLogger(WriteBehindOrderStore.class);

    private final OrderStore committed;
    private final DataSource dataSource;
    /** The latest state of every order not committed yet, in the order they were queued. */
    private final Map<UUID, Order> pending = new LinkedHashMap<>();
    private final ScheduledExecutorService writer;

    public WriteBehindOrderStore(OrderStore committed, DataSource dataSource, MeterRegistry registry) {
        this(committed, dataSource, registry, FLUSH_INTERVAL);
    }

    /** A store committing every {@code flushInterval}; tests pass a long one to commit only when they flush. */
    public WriteBehindOrderStore(OrderStore committed, DataSource dataSource, MeterRegistry registry, Duration flushInterval) {
        this.committed = committed;
        this.dataSource = dataSource;
        Gauge.builder("demo.write.behind.pending", this, WriteBehindOrderStore::pending)
                .description("Orders acknowledged but not yet committed (ack-before-commit flaw)").register(registry);
        this.writer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "write-behind");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleWithFixedDelay(this::flushQuietly, flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Queues the order; it is committed by the next batch. */
    @Override
    public void insert(Order order) {
        synchronized (pending) {
            pending.put(order.id(), order);
        }
    }

    /** Replaces the queued order when it is still queued, otherwise updates the committed row. */
    @Override
    public void markRouted(Order order) {
        synchronized (pending) {
            if (pending.replace(order.id(), order) != null) {
                return;
            }
        }
        committed.markRouted(order);
    }

    @Override
    public Optional<Order> find(UUID id) {
        Order queued;
        synchronized (pending) {
            queued = pending.get(id);
        }
        return queued != null ? Optional.of(queued) : committed.find(id);
    }

    /** How many acknowledged orders are not committed yet. */
    public int pending() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /**
     * Commits every queued order in one transaction; an order changed meanwhile stays queued for the next batch.
     *
     * @return how many orders were committed
     * @throws SQLException when the batch could not be committed (the orders stay queued)
     */
    public int flush() throws SQLException {
        List<Order> batch;
        synchronized (pending) {
            batch = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
            for (Order order : pending.values()) {
                if (batch.size() == MAX_BATCH) {
                    break;
                }
                batch.add(order);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT_ORDER)) {
                for (Order order : batch) {
                    JdbcOrderStore.bindInsert(upsert, order);
                    upsert.addBatch();
                }
                upsert.executeBatch();
                connection.commit();
            } catch (SQLException failed) {
                connection.rollback();
                throw failed;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        synchronized (pending) {
            batch.forEach(order -> pending.remove(order.id(), order));
        }
        return batch.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (SQLException | RuntimeException failed) {
            LOG.warn("Write-behind batch of {} orders not committed ({}); retrying in {} ms", pending(), failed.getMessage(),
                    FLUSH_INTERVAL.toMillis());
        }
    }

    /** Stops the writer and commits what is still queued: a graceful stop loses nothing, only a kill does. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(FLUSH_INTERVAL.toMillis() * 5, TimeUnit.MILLISECONDS);
            flush();
        } catch (SQLException failed) {
            LOG.error("{} acknowledged orders could not be committed at stop and are lost: {}", pending(), failed.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
