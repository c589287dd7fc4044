package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.PostgresSessions;
import dev.gameday.faults.internal.Reverters;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the PostgreSQL fault factories refuse before anything starts; they do no I/O. */
class PostgresFaultsTest {

    private static final Target POSTGRES = new Target("postgres", Protocol.POSTGRES, new Endpoint("localhost", 5432),
            Optional.empty(), Optional.empty()).withCredentials(new Credentials("trading", "secret", "trading"));

    @Test
    void namesEachFaultAfterItsTargetAndTable() {
        assertThat(PostgresFaults.holdConnections(POSTGRES).name()).isEqualTo("postgres-hold-connections");
        assertThat(PostgresFaults.lockTable(POSTGRES, "order_lines").name()).isEqualTo("postgres-lock-order-lines");
        assertThat(PostgresFaults.slowQueries(POSTGRES, "orders", Duration.ofMillis(300)).name())
                .isEqualTo("postgres-slow-orders");
        assertThat(PostgresFaults.terminateBackends(POSTGRES).name()).isEqualTo("postgres-terminate-backends");
        assertThat(PostgresFaults.terminateBackends(POSTGRES).isEvent()).isTrue();
        assertThat(PostgresFaults.lockTable(POSTGRES, "orders").isEvent()).isFalse();
    }

    @Test
    void refusesATableNameThatIsNotAPlainIdentifier() {
        for (String table : new String[] {"orders; DROP TABLE orders", "Orders", "public.orders", "\"orders\"",
                "1orders", "", "orders--"}) {
            assertThatThrownBy(() -> PostgresFaults.lockTable(POSTGRES, table))
                    .as(table).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a table name must be lower-case letters, digits and underscores");
        }
        assertThatThrownBy(() -> PostgresFaults.slowQueries(POSTGRES, "x".repeat(64), Duration.ofMillis(300)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesATargetItCannotLogInTo() {
        Target withoutCredentials = new Target("postgres", Protocol.POSTGRES, new Endpoint("localhost", 5432),
                Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> PostgresFaults.holdConnections(withoutCredentials))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fault 'postgres-hold-connections' needs a Redis or PostgreSQL server")
                .hasMessageContaining("withCredentials");
        Target redis = new Target("redis", Protocol.REDIS, new Endpoint("localhost", 6379), Optional.empty(),
                Optional.empty());
        assertThatThrownBy(() -> PostgresFaults.terminateBackends(redis))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a PostgreSQL target (protocol POSTGRES), but target 'redis' speaks REDIS");
        Target noDatabase = POSTGRES.withCredentials(new Credentials("trading", "secret", ""));
        assertThatThrownBy(() -> PostgresFaults.lockTable(noDatabase, "orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a user and a database");
    }

    @Test
    void refusesADelayOutOfBounds() {
        assertThatThrownBy(() -> PostgresFaults.slowQueries(POSTGRES, "orders", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 10 ms and 60 s");
        assertThatThrownBy(() -> PostgresFaults.slowQueries(POSTGRES, "orders", Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsEachInjectionsConnectionsWithinPostgresNameLimit() {
        AppliedState state = PostgresSessions.state(new Endpoint("localhost", 5432),
                new Credentials("trading", "secret", "trading"),
                "a-very-long-target-name-for-postgres-lock-order-lines",
                "release-lock");
        assertThat(state.value("application-name")).startsWith("gameday-a-very-long").hasSizeLessThanOrEqualTo(63)
                .endsWith("-" + state.value("id"));
        assertThat(state.toString()).doesNotContain("secret");
    }

    @Test
    void anEventsRecordedStateNeedsNoConnectionToRevert() throws Exception {
        AppliedState state = PostgresSessions.state(new Endpoint("localhost", 1), new Credentials("u", "p", "d"),
                "postgres-terminate-backends", "none");
        assertThat(Reverters.revert(state)).contains("nothing was left applied");
    }

    @Test
    void aServerThatIsGoneLeavesNothingToRevert() throws Exception {
        // port 1 on loopback: nothing listens, the connection is refused at once
        AppliedState state = PostgresSessions.state(new Endpoint("127.0.0.1", 1), new Credentials("u", "p", "d"),
                "postgres-lock-orders", "release-lock");
        assertThat(Reverters.revert(state)).contains("no longer answers");
    }

    @Test
    void aTriggerOnAServerThatDoesNotAnswerStaysInTheJournal() {
        // a trigger survives a restart of the database, so an unanswered cleanup must not count as a revert
        AppliedState state = PostgresSessions.state(new Endpoint("127.0.0.1", 1), new Credentials("u", "p", "d"),
                "postgres-slow-orders", "drop-trigger").with("schema", "public").with("table", "orders")
                .with("trigger", "gameday_slow_1").with("function", "gameday_sleep_1");
        assertThatThrownBy(() -> Reverters.revert(state))
                .hasMessageContaining("trigger gameday_slow_1 on public.orders could not be dropped")
                .hasMessageContaining("run 'gameday cleanup' again");
    }
}
