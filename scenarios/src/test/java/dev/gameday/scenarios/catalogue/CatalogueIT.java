package dev.gameday.scenarios.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.DurabilityObjective;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.demo.Flaw;
import dev.gameday.environments.Environment;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.internal.journal.RunRecord;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole catalogue end to end, with real parts: every entry passes against the healthy demo system, and every
 * entry's negative control fails on the objective and in the scope its entry states, with a message naming the
 * objective, the phase, the expected and the actual value. An entry cannot join the catalogue without a control,
 * and this one test runs them all.
 *
 * <p>To keep CI inside its budget, each run is paced down ({@link #paced}): a 5 s baseline (1,000 requests; 25 s
 * where the baseline judges a growth, which needs 20 s of readings), the
 * fault as the entry defines it, and an observation of the recovery bound plus 7 s (what recovery and the after phase
 * need to be judged). Healthy runs against the stock demo system share one running system, started once and checked
 * healthy between runs; after the first, the warmup is shortened to {@link #WARM_AGAIN}, since the service's JIT
 * has settled. Each baseline still has to meet the normal objectives, so anything a previous run left behind shows
 * as a failure, not as a pass. The first run of all keeps its entry's full warmup (30 s: the machine is cold too); every
 * later run on a system started for it (the healthy runs whose entries need settings of their own, and every negative
 * control) warms up for {@link #COLD_WARMUP}. Negative
 * controls run fail-fast ({@link ExperimentRunner#failFast()}): once the phase their stated objective belongs to has
 * ended, the verdict is known and the rest of the run is not needed.
 * {@code gameday run <name>} runs the full schedule.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogueIT {

    /** The warmup of a healthy run on the shared system after the first: its JIT is warm already. */
    static final Duration WARM_AGAIN = Duration.ofSeconds(5);
    /**
     * The warmup of a run on a system started for it, healthy or flawed: measured in CI, the twelve controls' baselines
     * after it had p95 of 15 to 33 ms against the 100 ms bound (the catalogue's own 30 s is for full runs).
     */
    static final Duration COLD_WARMUP = Duration.ofSeconds(15);
    static final Duration BASELINE = Duration.ofSeconds(5);
    /**
     * Controls stated in these phases stop early (fail fast): the rest of the run follows theirs. (A recovery is
     * decided only once the hold after its bound has been seen, which is about when a paced run ends.)
     */
    static final Set<String> STOPS_EARLY = Set.of(Phase.BASELINE.label(), Phase.FAULT.label());

    private static Environment shared;
    private final ExperimentRunner runner = ExperimentRunner.create().resultsIn(Path.of("target", "gameday"));

    /**
     * Every entry, or those {@code -Dgameday.catalogue=memory-leak,cpu-starvation} names (to work on a few without
     * running the whole catalogue; CI always runs it all).
     */
    static List<Catalogue.Entry> entries() {
        String only = System.getProperty("gameday.catalogue", "").strip();
        if (only.isEmpty()) {
            return Catalogue.entries();
        }
        List<String> names = List.of(only.split("\\s*,\\s*"));
        List<String> unknown = names.stream().filter(n -> Catalogue.find(n).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("-Dgameday.catalogue: unknown entries " + unknown + "; expected names"
                    + " from " + Catalogue.entries().stream().map(Catalogue.Entry::name).toList());
        }
        return Catalogue.entries().stream().filter(e -> names.contains(e.name())).toList();
    }

    @AfterAll
    static void stopTheSharedSystem() {
        if (shared != null) {
            shared.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0} passes against the healthy demo system")
    @MethodSource("entries")
    void passesAgainstTheHealthySystem(Catalogue.Entry entry) {
        ExperimentResult result = runHealthy(entry.experiment());

        assertThat(result.verdict()).as("%s: %s; violated: %s; invalid because: %s", entry.name(),
                result.evaluation().headline(), result.evaluation().violations().stream()
                        .map(ObjectiveResult::message).toList(), result.evaluation().invalidity())
                .isEqualTo(Verdict.PASSED);
        assertThat(result.evaluation().results())
                .filteredOn(r -> r.objective() instanceof DurabilityObjective)
                .singleElement().extracting(ObjectiveResult::message).asString()
                .as("every acknowledged order is in PostgreSQL")
                .contains("met", "all acknowledged writes found");
    }

    @Order(2)
    @ParameterizedTest(name = "{0}: the negative control fails for the stated reason")
    @MethodSource("entries")
    void theNegativeControlFailsForTheStatedReason(Catalogue.Entry entry) {
        ExperimentResult result = runner.failFast().run(paced(entry.negativeControl(), controlWarmup(entry)));

        assertThat(result.verdict())
                .as("%s under %s must fail, not be declared invalid: %s", entry.name(), entry.negativeControlFlaws(),
                        result.evaluation().invalidity())
                .isEqualTo(Verdict.FAILED);
        assertThat(result.evaluation().violations()).extracting(ObjectiveResult::message)
                .as("it fails on the stated objective and scope, naming the expected and the actual value")
                .anySatisfy(message -> assertThat(message).startsWith(entry.control().messagePrefix())
                        .contains(", actual "));
        Timeline timeline = result.report().timeline();
        if (STOPS_EARLY.contains(entry.control().scope())) {
            // fail fast: the stated violation is among the first, so the run stops once its phase has ended
            assertThat(timeline.first(TimelineEvent.Kind.RUN_STOPPED)).as("the run stops once its verdict is known")
                    .get().extracting(TimelineEvent::detail).asString().contains(entry.control().messagePrefix());
        }
        assertThat(timeline.events()).as("the fault is reverted, stopped early or not")
                .anySatisfy(e -> assertThat(e.kind()).isEqualTo(TimelineEvent.Kind.FAULT_RESTORED))
                .noneSatisfy(e -> assertThat(e.kind()).isEqualTo(TimelineEvent.Kind.FAULT_RESTORE_FAILED));
        assertThat(RunRecord.read(result.directory()).evaluation().violations()).extracting(ObjectiveResult::message)
                .as("read back from its journal ('gameday report'), the run has the same violations")
                .containsExactlyElementsOf(result.evaluation().violations().stream().map(ObjectiveResult::message)
                        .toList());
    }

    /**
     * {@link #COLD_WARMUP}, except under a flaw that spends CPU on every request: a cold JIT multiplies its cost, and
     * after 15 s one CI run's baseline of {@code cpu-starvation}'s control was at p95 857 ms (33 ms in another), so
     * that control failed before its fault, for no stated reason. It keeps its entry's full warmup.
     */
    static Duration controlWarmup(Catalogue.Entry entry) {
        return entry.negativeControlFlaws().contains(Flaw.EXPENSIVE_REQUEST_PATH)
                ? entry.negativeControl().load().warmup() : COLD_WARMUP;
    }

    private ExperimentResult runHealthy(Experiment experiment) {
        if (!Runbook.isStockDemo(experiment.environment())) {
            return runner.run(paced(experiment, COLD_WARMUP));
        }
        if (shared == null) {
            // the first run of all, on a cold machine: 15 s left one CI run's baseline at p95 291 ms (from the send
            // too), so it keeps the entry's full warmup
            shared = experiment.environment().start();
            return runner.run(paced(experiment, experiment.load().warmup()), shared);
        }
        shared.checkHealthy();
        return runner.run(paced(experiment, WARM_AGAIN), shared);
    }

    /** The experiment with a 5 s baseline, the observation its objectives need, and this warmup. */
    static Experiment paced(Experiment experiment, Duration warmup) {
        FaultSchedule full = experiment.schedule();
        Duration needed = experiment.objectives().recoveryBound().plusSeconds(7);
        Duration observe = needed.compareTo(full.observe()) < 0 ? needed : full.observe();
        Duration baseline = BASELINE.compareTo(full.baseline()) < 0 ? BASELINE : full.baseline();
        // a growth needs its window (20 s), and 5 s more so that a reading missed at a slice's edge cannot leave it
        // unresolved
        Duration growth = experiment.objectives().minimumLength(Phase.BASELINE);
        if (!growth.isZero()) {
            Duration judged = growth.plusSeconds(5).compareTo(full.baseline()) < 0 ? growth.plusSeconds(5) : full.baseline();
            baseline = judged.compareTo(baseline) > 0 ? judged : baseline;
        }
        return experiment.withSchedule(FaultSchedule.baseline(baseline).fault(full.fault()).observe(observe))
                .withLoad(experiment.load().withWarmup(warmup));
    }
}
