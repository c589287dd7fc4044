package dev.gameday.faults;

import java.time.Duration;
import java.util.Optional;

/**
 * Asks a service a real question and times the answer: a Redis PING, a PostgreSQL SSL request, an HTTP GET. Faults
 * use probes to verify from outside that they took effect and that their revert did.
 *
 *
 * <pre>{@code
 * Optional<Duration> answered = probe.roundTrip(Duration.ofSeconds(1));   // empty: no answer within a second
 * }</pre>
 */
public interface Probe {

    /** One line for reports, for example {@code Redis PING to localhost:32771}. */
    String describe();

    /** The round trip when the service answered within {@code timeout}; empty when it did not answer or refused. */
    Optional<Duration> roundTrip(Duration timeout);

    /** The bytes one probe sends, so that a traffic meter can leave the probes out of what it counts. */
    default int requestBytes() {
        return 0;
    }
}
