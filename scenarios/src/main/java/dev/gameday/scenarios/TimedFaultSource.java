package dev.gameday.scenarios;

import dev.gameday.environments.Environment;
import dev.gameday.faults.Fault;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** The fault source {@link FaultSource#during(Duration, Duration)} returns: another's fault, in a slot of the window. */
record TimedFaultSource(FaultSource source, Duration offset, Optional<Duration> length) implements FaultSource {

    TimedFaultSource {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(length, "length");
        if (offset.isNegative()) {
            throw new IllegalArgumentException("Fault source: a fault's offset into the fault window must be >= 0, but"
                    + " was " + offset + ". Use for example during(Duration.ofSeconds(10), Duration.ofSeconds(10)).");
        }
        if (length.isPresent() && length.get().compareTo(FaultSchedule.MIN_FAULT) < 0) {
            throw new IllegalArgumentException("Fault source: a fault must last at least 2 s, but was " + length.get()
                    + ": a fault counts only once verified. Use for example during(Duration.ofSeconds(10),"
                    + " Duration.ofSeconds(10)).");
        }
    }

    @Override
    public Fault on(Environment environment) {
        return source.on(environment);
    }

    @Override
    public Optional<String> targetName() {
        return source.targetName();
    }

    @Override
    public String toString() {
        return source + " from " + offset.toMillis() / 1000.0 + " s into the fault window"
                + length.map(l -> " for " + l.toMillis() / 1000.0 + " s").orElse("");
    }
}
