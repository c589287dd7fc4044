package dev.gameday.scenarios;

import dev.gameday.environments.Environment;
import dev.gameday.environments.Target;
import dev.gameday.faults.Fault;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the fault to inject once the environment is running and its targets are known.
 *
 * <p>Prefer the declarative form, which names its target: an {@link Experiment} then checks the name against the
 * targets its {@link EnvironmentSource} declares when it is built, before any container starts.
 * <pre>{@code
 * FaultSource redisHangs = FaultSource.on("redis", NetworkFaults::timeout);
 * FaultSource exchangeSlow = FaultSource.on("exchange", target -> NetworkFaults.latency(target, Duration.ofMillis(800)));
 * }</pre>
 * A lambda works too, but its target is known only once the environment runs:
 * <pre>{@code
 * FaultSource redisHangs = environment -> NetworkFaults.timeout(environment.target("redis"));
 * }</pre>
 */
@FunctionalInterface
public interface FaultSource {

    /** The fault, on the running environment. */
    Fault on(Environment environment);

    /** The name of the target the fault acts on, when it is known before the environment starts; empty for a lambda. */
    default Optional<String> targetName() {
        return Optional.empty();
    }

    /**
     * The same fault in a slot of the experiment's fault window, for several faults on one clock: it is injected
     * {@code offset} after the window opens and reverted {@code length} later (an event is caused then, and the slot
     * bounds its verification). Without it, a fault fills the whole window.
     *
     * <pre>{@code
     * .inject(FaultSchedule.baseline(ofSeconds(20)).fault(ofSeconds(30)).observe(ofSeconds(40)),
     *         FaultSource.on("postgres", PostgresFaults::terminateBackends),
     *         FaultSource.on("exchange", target -> NetworkFaults.latency(target, ofMillis(800)))
     *                 .during(ofSeconds(10), ofSeconds(15)))
     * }</pre>
     */
    default FaultSource during(Duration offset, Duration length) {
        return new TimedFaultSource(this instanceof TimedFaultSource timed ? timed.source() : this, offset,
                Optional.of(length));
    }

    /** When it is injected, after the fault window opens; zero unless {@link #during} says otherwise. */
    default Duration offset() {
        return Duration.ZERO;
    }

    /** How long it lasts; empty means to the end of the fault window. */
    default Optional<Duration> length() {
        return Optional.empty();
    }

    /**
     * A fault on the named target, built once the environment runs.
     *
     * @param targetName the target's name, as the environment names it, for example {@code redis}
     * @param fault      builds the fault on that target, for example {@code NetworkFaults::timeout}
     */
    static FaultSource on(String targetName, Function<Target, Fault> fault) {
        return new TargetedFaultSource(targetName, fault);
    }
}
