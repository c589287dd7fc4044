package dev.gameday.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.junit.Gameday;
import dev.gameday.junit.GamedayRunner;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.timeline.TimelineEvent;
import org.junit.jupiter.api.Test;

/**
 * The quotes system's resilience, as JUnit tests: the experiment passes against the system as its team runs it,
 * and fails against the chatty variant (its negative control), for the right reason; the control runs fail-fast,
 * stopping once its verdict is known.
 */
@Gameday
class QuotesResilienceTest {

    @Test
    void ridesOutASlowNetworkToRedis(GamedayRunner gameday) {
        gameday.run(QuotesExperiments.slowRedis(QuotesExperiments.quotes()));
    }

    @Test
    void theChattyVariantFailsIt(GamedayRunner gameday) {
        // fail fast: the verdict is known once the fault phase has ended, so the run stops there
        ExperimentResult result = gameday.failFast().runExpecting(Verdict.FAILED,
                QuotesExperiments.slowRedis(QuotesExperiments.quotes(QuotesExperiments.CHATTY))
                        .renamed("quotes-slow-redis-negative-control"));

        assertThat(result.evaluation().violations()).as("violated objectives")
                .anySatisfy(violation -> assertThat(violation.message()).contains("p95").contains("fault"));
        assertThat(result.report().timeline().first(TimelineEvent.Kind.RUN_STOPPED)).as("stopped once it had failed")
                .isPresent();
    }
}
