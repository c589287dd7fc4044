package dev.gameday.scenarios;

import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One kind of request in the traffic mix, as a Gatling HTTP request, with its share of the arrival rate and what
 * counts as success. Gameday wraps it to time it and record its outcome into the timeline; do not add status checks
 * of your own, the accepted statuses decide.
 *
 * <p>Gatling builds its DSL objects only while it instantiates a simulation, so the request is given as a supplier,
 * called then:
 * <pre>{@code
 * new TrafficRequest("read order", 0.5, () -> http("read order").get(session -> "/orders/" + pick()),
 *         Set.of(200), Optional.empty());
 * new TrafficRequest("place order", 0.5, () -> http("place order").post("/orders").body(StringBody(order)),
 *         Set.of(201), Optional.of("Location")).degradedWhen(DegradedAnswer.jsonField("status", "PENDING_ROUTE"));
 * }</pre>
 *
 * @param series           the name its figures are reported under, for example {@code place order}
 * @param share            its share of the total rate, between 0 (exclusive) and 1
 * @param request          builds the Gatling request
 * @param acceptedStatuses statuses that count as success
 * @param writeIdHeader    a response header whose value identifies an acknowledged write (for example
 *                         {@code Location}), recorded in the {@link WriteLedger} on success
 * @param degraded         how to tell an answer with an accepted status that is degraded (a fallback) from its
 *                         content, if the request says; such answers are recorded as degraded, not as full service
 */
public record TrafficRequest(String series, double share, Supplier<HttpRequestActionBuilder> request, Set<Integer> acceptedStatuses,
                             Optional<String> writeIdHeader, Optional<DegradedAnswer> degraded) {

    /** A request whose answers are told apart by their status alone. */
    public TrafficRequest(String series, double share, Supplier<HttpRequestActionBuilder> request,
                          Set<Integer> acceptedStatuses, Optional<String> writeIdHeader) {
        this(series, share, request, acceptedStatuses, writeIdHeader, Optional.empty());
    }

    /** The same request, whose answers with an accepted status are degraded when their content says so. */
    public TrafficRequest degradedWhen(DegradedAnswer marker) {
        return new TrafficRequest(series, share, request, acceptedStatuses, writeIdHeader,
                Optional.of(Objects.requireNonNull(marker, "marker")));
    }

    public TrafficRequest {
        Objects.requireNonNull(degraded, "degraded");
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(request, "request");
        acceptedStatuses = Set.copyOf(acceptedStatuses);
        Objects.requireNonNull(writeIdHeader, "writeIdHeader");
        if (share > 1 && share <= 100) {
            // almost surely a percentage
            throw new IllegalArgumentException("Traffic request '" + series + "': a share is a fraction of the total rate,"
                    + " not a percentage: " + Experiment.plain(share) + " means " + Experiment.plain(share * 100) + " %; for "
                    + Experiment.plain(share) + " % write " + Experiment.plain(share / 100) + ".");
        }
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("Traffic request '" + series + "': share must be > 0 and <= 1, but was "
                    + share + ".");
        }
        if (acceptedStatuses.isEmpty()) {
            throw new IllegalArgumentException("Traffic request '" + series + "': name the statuses that count as"
                    + " success, for example Set.of(200, 201).");
        }
    }
}
