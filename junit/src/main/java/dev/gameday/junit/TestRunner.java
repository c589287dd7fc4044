package dev.gameday.junit;

import dev.gameday.assertions.Verdict;
import dev.gameday.environments.Environment;
import dev.gameday.faults.SafetyNet;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentResult;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/** The {@link GamedayRunner} of one test. */
final class TestRunner implements GamedayRunner {

    private final ExtensionContext context;
    private final Optional<Environment> shared;
    private final ReportLocations locations;
    private final GamedayExtension.Execution execution;
    private final boolean failFast;

    TestRunner(ExtensionContext context, Optional<Environment> shared, ReportLocations locations,
               GamedayExtension.Execution execution) {
        this(context, shared, locations, execution, false);
    }

    private TestRunner(ExtensionContext context, Optional<Environment> shared, ReportLocations locations,
                       GamedayExtension.Execution execution, boolean failFast) {
        this.context = context;
        this.shared = shared;
        this.locations = locations;
        this.execution = execution;
        this.failFast = failFast;
    }

    @Override
    public GamedayRunner failFast() {
        return new TestRunner(context, shared, locations, execution, true);
    }

    @Override
    public ExperimentResult run(Experiment experiment) {
        return runExpecting(Verdict.PASSED, experiment);
    }

    @Override
    public ExperimentResult runExpecting(Verdict expected, Experiment experiment) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(experiment, "experiment");
        long start = System.currentTimeMillis();
        ExperimentResult result;
        RunInProgress run = new RunInProgress(experiment.name());
        try {
            result = shared.isPresent() ? runShared(experiment, shared.get(), run) : runOwn(experiment, run);
        } catch (RuntimeException | Error e) {
            AllureResults.writeBroken(locations.allure(), context, experiment, e, start, System.currentTimeMillis());
            throw e;
        } finally {
            run.finished();
        }
        Optional<AssertionFailedError> failure = Explanations.check(expected, result);
        AllureResults.write(locations.allure(), context, result, failure, start, System.currentTimeMillis());
        if (failure.isPresent()) {
            throw failure.get();
        }
        return result;
    }

    private ExperimentResult runShared(Experiment experiment, Environment environment, RunInProgress run) {
        System.out.printf("gameday: experiment '%s' runs against the shared system under test %s (its own environment"
                + " is not started)%n", experiment.name(), environment.name());
        context.getStore(GamedayExtension.NAMESPACE).put(run, run);
        return execution.run(experiment, environment, locations.runs(), failFast);
    }

    /**
     * The test's store owns the environment and the run too, so both are closed even if this thread never gets to
     * the finally (a test abandoned by its timeout): the store closes the run first (reverting its faults), then the
     * environment.
     */
    private ExperimentResult runOwn(Experiment experiment, RunInProgress run) {
        System.out.printf("gameday: starting the environment for experiment '%s'%n", experiment.name());
        Environment environment = experiment.environment().start();
        HeldEnvironment held = new HeldEnvironment(environment, context.getDisplayName());
        ExtensionContext.Store store = context.getStore(GamedayExtension.NAMESPACE);
        store.put(held, held);
        store.put(run, run);
        try {
            return execution.run(experiment, environment, locations.runs(), failFast);
        } finally {
            held.close();
        }
    }

    /**
     * A run, as the test's store holds it: if the test ends while the run is still going (its thread abandoned by a
     * timeout), closing it reverts every fault still active before anything else is torn down. The runner reverts
     * its own faults when it ends normally; this is for when it does not get to.
     */
    private static final class RunInProgress implements AutoCloseable {
        private final String experiment;
        private volatile boolean finished;

        RunInProgress(String experiment) {
            this.experiment = experiment;
        }

        void finished() {
            finished = true;
        }

        @Override
        public void close() {
            if (!finished) {
                System.err.printf("gameday: the test ended while experiment '%s' was still running: reverting its"
                        + " active faults%n", experiment);
                SafetyNet.revertAll().forEach(failure -> System.err.println("gameday: " + failure));
            }
        }
    }
}
