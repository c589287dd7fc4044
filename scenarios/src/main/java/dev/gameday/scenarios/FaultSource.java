package dev.gameday.scenarios;

import dev.gameday.environments.Environment;
import dev.gameday.faults.Fault;

/**
 * Picks the fault to inject once the environment is running and its targets are known.
 *
 * <pre>{@code
 * FaultSource redisHangs = environment -> NetworkFaults.timeout(environment.target("redis"));
 * }</pre>
 */
@FunctionalInterface
public interface FaultSource {

    Fault on(Environment environment);
}
