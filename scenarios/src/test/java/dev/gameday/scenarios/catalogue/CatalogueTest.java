package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Objective;
import dev.gameday.assertions.PhaseObjective;
import dev.gameday.assertions.RecoveryObjective;
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
                .as("'%s' must be able to fail its control on '%s' in phase '%s'", entry.name(),
                        entry.control().objective(), entry.control().phase().label())
                .anySatisfy(objective -> {
                    assertThat(objective.name()).isEqualTo(entry.control().objective());
                    assertThat(phaseOf(objective)).isEqualTo(entry.control().phase().label());
                });
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

    private static String phaseOf(Objective objective) {
        return objective instanceof PhaseObjective phase ? phase.phase().label()
                : objective instanceof RecoveryObjective ? "recovery" : objective.scope();
    }
}
