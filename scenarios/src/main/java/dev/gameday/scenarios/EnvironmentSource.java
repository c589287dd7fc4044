package dev.gameday.scenarios;

import dev.gameday.environments.Environment;

/**
 * Starts the environment an experiment runs against; the runner closes it afterwards.
 *
 * <pre>{@code
 * EnvironmentSource demo = () -> DemoTradingSystem.builder().start();
 * }</pre>
 */
@FunctionalInterface
public interface EnvironmentSource {

    Environment start();
}
