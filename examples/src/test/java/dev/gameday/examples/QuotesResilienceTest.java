package dev.gameday.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.junit.Gameday;
import dev.gameday.junit.GamedayRunner;
import dev.gameday.scenarios.ExperimentResult;
import org.junit.jupiter.api.Test;

/**
 * The quotes system's resilience, as JUnit tests: the experiment passes against the system as its team runs it,
 * and fails against the chatty variant (its negative control), for the right reason.
 */
@Gameday
class QuotesResilienceTest {

    @Test
    void ridesOutASlowNetworkToRedis(GamedayRunner gameday) {
        gameday.run(QuotesExperiments.slowRedis(QuotesExperiments.quotes()));
    }

    @Test
    void theChattyVariantFailsIt(GamedayRunner gameday) {
        ExperimentResult result = gameday.runExpecting(Verdict.FAILED,
                QuotesExperiments.slowRedis(QuotesExperiments.quotes(QuotesExperiments.CHATTY))
                        .renamed("quotes-slow-redis-negative-control"));

        assertThat(result.evaluation().violations()).as("violated objectives")
                .anySatisfy(violation -> assertThat(violation.message()).contains("p95").contains("fault"));
    }
}
