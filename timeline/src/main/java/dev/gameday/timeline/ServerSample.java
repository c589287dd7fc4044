package dev.gameday.timeline;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One reading of a server-side series (a gauge the system under test publishes, such as its circuit breaker's state),
 * taken by the harness while the run goes on, at a time since the timeline's origin. A reading the harness could not
 * take (the metrics endpoint did not answer, or did not have the gauge) is kept as a missing value: it says nothing
 * about the system under test.
 *
 * <pre>{@code
 * for (ServerSample sample : timeline.serverSeries().get("breaker-open")) {
 *     System.out.println(sample.at() + " " + (sample.isMissing() ? "-" : sample.value().getAsDouble()));
 * }
 * }</pre>
 *
 * @param at    when it was taken, since the origin
 * @param value the gauge's value, or empty when it could not be read
 */
public record ServerSample(Duration at, OptionalDouble value) {

    public ServerSample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(value, "value");
        if (value.isPresent() && Double.isNaN(value.getAsDouble())) {
            value = OptionalDouble.empty();
        }
    }

    /** A reading with a value. */
    public static ServerSample of(Duration at, double value) {
        return new ServerSample(at, OptionalDouble.of(value));
    }

    /** A reading the harness could not take. */
    public static ServerSample missing(Duration at) {
        return new ServerSample(at, OptionalDouble.empty());
    }

    public boolean isMissing() {
        return value.isEmpty();
    }
}
