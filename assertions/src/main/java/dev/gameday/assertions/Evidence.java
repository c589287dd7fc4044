package dev.gameday.assertions;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The least a phase must hold before an objective can be judged on it: a percentile of a handful of requests, or of a
 * single second, says nothing. Below it the objective is unresolved, with the reason.
 *
 * <pre>{@code
 * ObjectiveSet objectives = ObjectiveSet.builder()
 *         .requiring(Evidence.atLeast(500, Duration.ofSeconds(5)))
 *         .during(Phase.BASELINE, Criteria.successRate().above(99.5))
 *         .build();
 * }</pre>
 *
 * @param requests the fewest requests a phase must have
 * @param length   the shortest a phase may be
 */
public record Evidence(long requests, Duration length) {

    /** Unless said otherwise: 100 requests over at least 3 s. */
    public static final Evidence DEFAULT = new Evidence(100, Duration.ofSeconds(3));

    public Evidence {
        Objects.requireNonNull(length, "length");
        if (requests < 1) {
            throw new IllegalArgumentException("Evidence: a phase must need at least 1 request, but was " + requests
                    + ". Use Evidence.atLeast(100, Duration.ofSeconds(3)).");
        }
        if (length.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Evidence: a phase must need at least 1 s (the timeline's resolution), but"
                    + " was " + length + ". Use Evidence.atLeast(100, Duration.ofSeconds(3)).");
        }
    }

    public static Evidence atLeast(long requests, Duration length) {
        return new Evidence(requests, length);
    }

    /** Why a phase of this length with this many requests is not enough, or empty if it is. */
    Optional<String> shortfall(Duration phaseLength, long phaseRequests) {
        if (phaseLength.compareTo(length) < 0) {
            return Optional.of("the phase lasted " + Figure.seconds(phaseLength) + ", less than the "
                    + Figure.seconds(length) + " needed to judge it; lengthen it in the fault schedule");
        }
        if (phaseRequests < requests) {
            return Optional.of("only " + Figure.count(phaseRequests) + " requests started in it, fewer than the "
                    + Figure.count(requests) + " needed to judge it; raise the rate or lengthen the phase");
        }
        return Optional.empty();
    }
}
