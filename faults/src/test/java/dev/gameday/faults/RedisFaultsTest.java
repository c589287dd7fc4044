package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Credentials;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.RedisDisruption;
import dev.gameday.faults.internal.Reverters;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What RedisFaults decides before anything is injected; no Redis needed (port 1 answers nothing). */
class RedisFaultsTest {

    private static final Target REDIS = new Target("cache", Protocol.REDIS, new Endpoint("localhost", 1),
            Optional.empty(), Optional.empty());

    @Test
    void factoriesNameTheFaultAfterTheTargetAndDoNoIo() {
        assertThat(RedisFaults.clientPause(REDIS).name()).isEqualTo("cache-client-pause");
        assertThat(RedisFaults.busy(REDIS).name()).isEqualTo("cache-busy");
        assertThat(RedisFaults.maxmemory(REDIS).name()).isEqualTo("cache-maxmemory");
        assertThat(RedisFaults.connectionExhaustion(REDIS).name()).isEqualTo("cache-connection-exhaustion");
        assertThat(RedisFaults.maxmemory(REDIS).describe()).isEqualTo("Redis maxmemory on 'cache' (localhost:1)"
                + " lowered to 1 byte with noeviction: writes refused with OOM, reads answered");
    }

    @Test
    void everyRedisFaultIsAStateVerifiableWithinOneSecond() {
        for (Fault fault : new Fault[] {RedisFaults.clientPause(REDIS), RedisFaults.busy(REDIS),
                RedisFaults.maxmemory(REDIS), RedisFaults.connectionExhaustion(REDIS)}) {
            assertThat(fault.isEvent()).as(fault.name()).isFalse();
            assertThat(fault.minimumDuration()).as(fault.name()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void refusesATargetThatIsNoDatastore() {
        Target api = new Target("api", Protocol.HTTP, new Endpoint("localhost", 8080), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> RedisFaults.maxmemory(api))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fault 'api-maxmemory' needs a Redis or PostgreSQL server the harness can log"
                        + " in to (DATASTORE), but target 'api' has no capability.");
    }

    @Test
    void refusesADatastoreThatIsNotRedis() {
        Target postgres = new Target("db", Protocol.POSTGRES, new Endpoint("localhost", 5432), Optional.empty(),
                Optional.empty()).withCredentials(new Credentials("app", "secret", "app"));

        assertThatThrownBy(() -> RedisFaults.clientPause(postgres))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fault 'db-client-pause' needs a Redis target, but target 'db' speaks POSTGRES. Use it on a"
                        + " target declared with protocol REDIS, or choose a fault for POSTGRES.");
    }

    @Test
    void injectingAgainstARedisThatIsNotThereAppliesNothing() {
        assertThatThrownBy(() -> RedisFaults.maxmemory(REDIS)
                .journaledIn(FaultJournal.at(java.nio.file.Path.of("target", "redis-faults-test-journal"))).inject())
                .isInstanceOf(FaultException.class)
                .hasMessageStartingWith("Fault 'cache-maxmemory' could not be injected: ")
                .hasMessageContaining("Nothing was applied.");
    }

    @Test
    void theJournalCleanupKnowsRedisAndSaysWhenItsRedisIsGone() throws Exception {
        AppliedState left = new AppliedState(RedisDisruption.BACKEND, Map.of("fault", "maxmemory",
                "endpoint", "localhost:1", "client-name", "gameday-cache-maxmemory-1f3a2b4c",
                "previous-maxmemory", "0", "previous-maxmemory-policy", "noeviction",
                "probe-key", "gameday:probe:gameday-cache-maxmemory-1f3a2b4c"));

        assertThat(Reverters.revert(left)).isEqualTo("Redis at localhost:1 no longer accepts connections: it went"
                + " away with its environment, so nothing is left applied");
    }

    @Test
    void aRecordedFaultThisVersionDoesNotKnowIsNotGuessedAt() {
        AppliedState left = new AppliedState(RedisDisruption.BACKEND, Map.of("fault", "flushall",
                "endpoint", "localhost:1", "client-name", "gameday-x"));

        assertThatThrownBy(() -> Reverters.revert(left))
                .hasMessage("Applied state of backend 'redis' names fault 'flushall', which this version does not know"
                        + " (it knows client-pause, busy, maxmemory, connection-exhaustion).");
    }

    @Test
    void theRecordedPasswordIsHiddenWhenTheStateIsPrinted() {
        AppliedState state = AppliedState.of(RedisDisruption.BACKEND).with("user", "").with("password", "secret");

        assertThat(state.toString()).doesNotContain("secret").contains("password=***");
    }
}
