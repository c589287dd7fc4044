package dev.gameday.demo.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gameday.demo.config.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A database behind a partition that drops traffic: a TCP port on loopback that accepts connections and never
 * answers (what a blackholed PostgreSQL looks like to its client). The healthy pool gives up within its bounds; with
 * the {@code no-database-timeout} flaw a request waits for a connection that never comes.
 */
class NoDatabaseTimeoutTest {

    /** Far beyond every bound of the healthy pool (250 ms pool wait, 2 s connect, 3 s socket timeout). */
    private static final Duration STILL_WAITING_AFTER = Duration.ofSeconds(8);

    private ServerSocket blackhole;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final ExecutorService requests = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "request");
        thread.setDaemon(true);
        return thread;
    });
    private Database database;

    @BeforeEach
    void openBlackhole() throws IOException {
        blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!blackhole.isClosed()) {
                try {
                    held.add(blackhole.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        }, "blackhole");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void closeAll() throws IOException {
        requests.shutdownNow();
        blackhole.close();
        for (Socket socket : held) {
            socket.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private DatabaseConfig config() {
        return new DatabaseConfig("jdbc:postgresql://127.0.0.1:" + blackhole.getLocalPort() + "/trading", "trading",
                "trading", 4, Duration.ofMillis(250), Duration.ofSeconds(2));
    }

    @Test
    void healthyStoreFailsFastWithAClearReasonWhileTheDatabaseDoesNotAnswer() throws Exception {
        database = Database.open(config(), false, new SimpleMeterRegistry());
        OrderStore store = new JdbcOrderStore(database.dataSource(), config());

        Future<Optional<?>> read = requests.submit(() -> store.find(UUID.randomUUID()));
        DatabaseUnavailableException failed = catchThrowableOfType(DatabaseUnavailableException.class, () -> {
            try {
                read.get(STILL_WAITING_AFTER.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException wrapped) {
                throw wrapped.getCause();
            }
        });

        assertThat(failed).as("the read's failure while the database does not answer").isNotNull();
        assertThat(failed.getMessage()).startsWith("could not read the order: ");
    }

    @Test
    void noDatabaseTimeoutFlawLeavesTheRequestWaitingForAConnectionThatNeverComes() throws Exception {
        database = Database.open(config(), true, new SimpleMeterRegistry());
        OrderStore store = new JdbcOrderStore(database.dataSource(), config());

        Future<Optional<?>> read = requests.submit(() -> store.find(UUID.randomUUID()));
        Thread.sleep(STILL_WAITING_AFTER.toMillis());

        assertThat(read).as("a read after %s against a database that does not answer", STILL_WAITING_AFTER).isNotDone();
        assertThat(database.poolState().waiting()).as("requests waiting for a pooled connection").isEqualTo(1);
        assertThat(held).as("connections the pool opened and is still waiting on").isNotEmpty();
    }
}
