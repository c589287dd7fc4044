package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.DurabilityObjective;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.Verdict;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.ExperimentRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole catalogue end to end, with real parts: every entry passes against the healthy demo system, and every
 * entry's negative control fails on the objective and in the phase its entry states, with a message naming the
 * objective, the phase, the expected and the actual value. An entry cannot join the catalogue without a control,
 * and this one test runs them all.
 */
class CatalogueIT {

    private final ExperimentRunner runner = ExperimentRunner.create().resultsIn(Path.of("target", "gameday"));

    static List<Catalogue.Entry> entries() {
        return Catalogue.entries();
    }

    @ParameterizedTest(name = "{0} passes against the healthy demo system")
    @MethodSource("entries")
    void passesAgainstTheHealthySystem(Catalogue.Entry entry) {
        ExperimentResult result = runner.run(entry.experiment());

        assertThat(result.verdict()).as("%s: %s %s", entry.name(), result.evaluation().headline(),
                result.evaluation().invalidity()).isEqualTo(Verdict.PASSED);
        assertThat(result.evaluation().results())
                .filteredOn(r -> r.objective() instanceof DurabilityObjective)
                .singleElement().extracting(ObjectiveResult::message).asString()
                .as("every acknowledged order is in PostgreSQL")
                .contains("met", "all acknowledged writes found");
    }

    @ParameterizedTest(name = "{0}: the negative control fails for the stated reason")
    @MethodSource("entries")
    void theNegativeControlFailsForTheStatedReason(Catalogue.Entry entry) {
        ExperimentResult result = runner.run(entry.negativeControl());

        assertThat(result.verdict())
                .as("%s under %s must fail, not be declared invalid: %s", entry.name(), entry.negativeControlFlaws(),
                        result.evaluation().invalidity())
                .isEqualTo(Verdict.FAILED);
        String expected = entry.control().messagePrefix();
        assertThat(result.evaluation().violations()).extracting(ObjectiveResult::message)
                .as("it fails on the stated objective and phase, naming the expected and the actual value")
                .anySatisfy(message -> assertThat(message).startsWith(expected).contains(", actual "));
    }
}
