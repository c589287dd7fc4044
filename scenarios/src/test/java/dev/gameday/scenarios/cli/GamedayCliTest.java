package dev.gameday.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.environments.demo.Flaw;
import dev.gameday.scenarios.Experiment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error before anything starts: none of these touch Docker. */
class GamedayCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void rejectsAnUnknownExperimentListingTheKnownOnes() {
        assertThat(run("run", "redis-timeout")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: unknown experiment 'redis-timeout'; expected one of [redis-timeouts]."
                + " 'gameday list' shows them.");
    }

    @Test
    void rejectsADurationWithoutAUnit() {
        assertThat(run("run", "redis-timeouts", "--fault", "20")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: --fault: expected a duration like 500ms, 20s, 2m or 1h, but found '20'.");
    }

    @Test
    void rejectsARateOutOfRange() {
        assertThat(run("run", "redis-timeouts", "--rate", "-5")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: Load: rate must be > 0 and <= 20000 requests/s, but was -5.0.");
    }

    @Test
    void rejectsAnUnknownFlawListingTheKnownOnes() {
        assertThat(run("run", "redis-timeouts", "--flaw", "slow-disk")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: Unknown flaw 'slow-disk'; known flaws are [no-redis-timeout,"
                + " breaker-never-half-opens, leaking-cache, leaking-pool].");
    }

    @Test
    void rejectsAnObservationTooShortToSeeRecovery() {
        assertThat(run("run", "redis-timeouts", "--observe", "10s")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).startsWith("gameday: Experiment 'redis-timeouts': it observes 10 s after the fault, but"
                + " recovering within 15 s and holding for 5 s needs at least 20 s. Lengthen observe() or shorten the"
                + " recovery bound.");
    }

    @Test
    void rejectsANegativeControlWithHandPickedFlaws() {
        assertThat(run("run", "redis-timeouts", "--negative-control", "--flaw", "leaking-pool")).isEqualTo(GamedayCli.USAGE);
        assertThat(errors()).contains("--negative-control already chooses the flaws [NO_REDIS_TIMEOUT]");
    }

    @Test
    void buildsTheNegativeControlWithItsFlawAndOverrides() {
        GamedayCli.Invocation invocation = GamedayCli.parse(List.of("run", "redis-timeouts", "--negative-control",
                "--rate", "300", "--fault", "30s", "--results", "/tmp/gameday-test"));

        Experiment experiment = invocation.experiment();
        assertThat(experiment.name()).isEqualTo("redis-timeouts-negative-control");
        assertThat(experiment.load().ratePerSecond()).isEqualTo(300);
        assertThat(experiment.schedule().fault()).isEqualTo(Duration.ofSeconds(30));
        assertThat(experiment.schedule().baseline()).as("untouched settings keep the catalogue's values")
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(invocation.results()).hasToString("/tmp/gameday-test");
    }

    @Test
    void listsTheCatalogueWithEachNegativeControl() {
        assertThat(run("list")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("redis-timeouts", "2. Redis connection timeouts", Flaw.NO_REDIS_TIMEOUT.configName());
    }

    private int run(String... args) {
        return GamedayCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
