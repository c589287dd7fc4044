package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.scenarios.Experiment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every catalogue entry is well formed before anything runs; CatalogueIT runs them. */
class CatalogueTest {

    static java.util.List<Catalogue.Entry> entries() {
        return Catalogue.entries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void theNegativeControlNamesAnObjectiveTheExperimentAssessesInThatPhase(Catalogue.Entry entry) {
        Experiment experiment = entry.experiment();

        assertThat(experiment.objectives().objectives())
                .as("'%s' must be able to fail its control on '%s' in '%s'", entry.name(),
                        entry.control().objective(), entry.control().scope())
                .anySatisfy(objective -> {
                    assertThat(objective.name()).isEqualTo(entry.control().objective());
                    assertThat(objective.scope()).isEqualTo(entry.control().scope());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void theScheduleCiRunsStillLetsEveryObjectiveBeJudged(Catalogue.Entry entry) {
        Experiment paced = CatalogueIT.paced(entry.experiment(), CatalogueIT.WARM_AGAIN);
        Experiment control = CatalogueIT.paced(entry.negativeControl(), CatalogueIT.COLD_WARMUP);

        assertThat(paced.schedule().fault()).isEqualTo(entry.experiment().schedule().fault());
        assertThat(paced.duration()).isLessThanOrEqualTo(entry.experiment().duration());
        assertThat(control.schedule()).isEqualTo(paced.schedule());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void everyEntryNamesItsIncidentChecksDurabilityAndIsNamedAsTheCommandLineCallsIt(Catalogue.Entry entry) {
        assertThat(entry.incident()).as("numbered as in INCIDENTS.md").matches("\\d+\\. .+");
        assertThat(entry.experiment().name()).isEqualTo(entry.name());
        assertThat(entry.negativeControl().name()).isEqualTo(entry.name() + "-negative-control");
        assertThat(entry.experiment().durability()).as("every acknowledged write must survive").isPresent();
        assertThat(Catalogue.find(entry.name())).containsSame(entry);
    }
}
