package dev.gameday.scenarios;

import dev.gameday.environments.Environment;
import dev.gameday.environments.Target;
import dev.gameday.faults.Fault;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** The fault source {@link FaultSource#on(String, Function)} returns: it names its target before anything starts. */
record TargetedFaultSource(String target, Function<Target, Fault> fault) implements FaultSource {

    TargetedFaultSource {
        Objects.requireNonNull(fault, "fault");
        if (target == null || !target.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("Fault source: a target name is lower-case letters, digits and dashes,"
                    + " such as 'redis', but was '" + target + "'.");
        }
    }

    @Override
    public Fault on(Environment environment) {
        return Objects.requireNonNull(fault.apply(environment.target(target)),
                () -> "the fault built on target '" + target + "'");
    }

    @Override
    public Optional<String> targetName() {
        return Optional.of(target);
    }

    @Override
    public String toString() {
        return "fault on '" + target + "'";
    }
}
