package dev.gameday.junit;

import dev.gameday.assertions.Verdict;
import dev.gameday.environments.Environment;
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

    TestRunner(ExtensionContext context, Optional<Environment> shared, ReportLocations locations,
               GamedayExtension.Execution execution) {
        this.context = context;
        this.shared = shared;
        this.locations = locations;
        this.execution = execution;
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
        try {
            result = shared.isPresent() ? runShared(experiment, shared.get()) : runOwn(experiment);
        } catch (RuntimeException | Error e) {
            AllureResults.writeBroken(locations.allure(), context, experiment, e, start, System.currentTimeMillis());
            throw e;
        }
        Optional<AssertionFailedError> failure = Explanations.check(expected, result);
        AllureResults.write(locations.allure(), context, result, failure, start, System.currentTimeMillis());
        if (failure.isPresent()) {
            throw failure.get();
        }
        return result;
    }

    private ExperimentResult runShared(Experiment experiment, Environment environment) {
        System.out.printf("gameday: experiment '%s' runs against the shared system under test %s (its own environment"
                + " is not started)%n", experiment.name(), environment.name());
        return execution.run(experiment, environment, locations.runs());
    }

    /** The test's store owns the environment too, so it is closed even if this thread never gets to the finally. */
    private ExperimentResult runOwn(Experiment experiment) {
        System.out.printf("gameday: starting the environment for experiment '%s'%n", experiment.name());
        Environment environment = experiment.environment().start();
        HeldEnvironment held = new HeldEnvironment(environment, context.getDisplayName());
        context.getStore(GamedayExtension.NAMESPACE).put(held, held);
        try {
            return execution.run(experiment, environment, locations.runs());
        } finally {
            held.close();
        }
    }
}
