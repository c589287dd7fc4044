package dev.gameday.junit;

import dev.gameday.assertions.Verdict;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentResult;

/**
 * Runs experiments for one test; a {@link Gameday} test method gets it as a parameter. Against the class's
 * {@link SystemUnderTest} if it has one (which it never closes), otherwise against the environment each experiment
 * starts and closes itself.
 *
 * <pre>{@code
 * @Test
 * void survivesRedisTimeouts(GamedayRunner gameday) {
 *     ExperimentResult result = gameday.run(RedisTimeouts.experiment());
 *     assertThat(result.evaluation().timeToRecover()).hasValueSatisfying(t -> assertThat(t).isLessThan(ofSeconds(5)));
 * }
 * }</pre>
 *
 * <p>The run's reports are written to {@code target/gameday/<test class>/<test method>/<experiment>-<time>/}, and an
 * Allure result named after the test, with the reports attached, to {@code target/allure-results}.
 */
public interface GamedayRunner {

    /**
     * Runs the experiment and returns its result if it PASSED.
     *
     * @throws org.opentest4j.AssertionFailedError on FAILED, naming each violated objective, its phase, the expected
     *                                             and the actual figure; on INVALID, saying it is not a verdict on
     *                                             the system under test and why the run could not judge it
     * @throws RuntimeException                    whatever kept the run from completing, as it was thrown
     *                                             ({@link dev.gameday.scenarios.ExperimentException},
     *                                             {@link dev.gameday.environments.EnvironmentUnavailableException}, ...)
     */
    ExperimentResult run(Experiment experiment);

    /**
     * Runs the experiment and returns its result if its verdict is the expected one; for a negative control, which
     * must fail:
     * <pre>{@code
     * ExperimentResult result = gameday.runExpecting(Verdict.FAILED, RedisTimeouts.negativeControl());
     * assertThat(result.evaluation().violations()).isNotEmpty();
     * }</pre>
     * An INVALID run never meets an expectation of PASSED or FAILED.
     *
     * @throws org.opentest4j.AssertionFailedError when the verdict is another, with the same explanations as
     *                                             {@link #run(Experiment)}
     */
    ExperimentResult runExpecting(Verdict expected, Experiment experiment);

    /**
     * This runner, stopping each run as soon as its verdict is known ({@link
     * dev.gameday.scenarios.ExperimentRunner#failFast()}): for a negative control, whose verdict is known once the
     * phase it fails in has ended.
     * <pre>{@code
     * gameday.failFast().runExpecting(Verdict.FAILED, RedisTimeouts.negativeControl());
     * }</pre>
     */
    GamedayRunner failFast();
}
