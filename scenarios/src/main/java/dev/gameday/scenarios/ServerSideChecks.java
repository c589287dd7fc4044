package dev.gameday.scenarios;

import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.DegradedRateCriterion;
import dev.gameday.assertions.FullServiceCriterion;
import dev.gameday.assertions.ServerMetricCriterion;
import dev.gameday.assertions.ServerMetricGrowthCriterion;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an experiment's server-side series and degraded answers must satisfy before anything starts: series named
 * apart, every series an objective judges declared, and a degraded-answer criterion only where the traffic says how to
 * tell a degraded answer (otherwise it could never be violated).
 */
final class ServerSideChecks {

    private ServerSideChecks() {
    }

    static void validate(String experiment, List<ServerMetric> metrics, List<Criterion> criteria, Traffic traffic) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = metrics.stream().map(ServerMetric::name).filter(n -> !seen.add(n)).distinct().toList();
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("Experiment '" + experiment + "': it scrapes server-side series "
                    + duplicates + " more than once; give each ServerMetric its own name.");
        }
        for (Criterion criterion : criteria) {
            String series = criterion instanceof ServerMetricCriterion server ? server.series()
                    : criterion instanceof ServerMetricGrowthCriterion growth ? growth.series() : null;
            if (series != null && !seen.contains(series)) {
                throw new IllegalArgumentException("Experiment '" + experiment + "': objective '" + criterion.describe()
                        + "' judges the server-side series '" + series + "', but the experiment does not"
                        + " scrape it; it scrapes " + (seen.isEmpty() ? "none" : seen.stream().sorted().toList())
                        + ". Declare it before then(..), for example .scraping(ServerMetric.gauge(\"" + series
                        + "\", \"resilience4j_circuitbreaker_state\", Map.of(\"name\", \"exchange\", \"state\","
                        + " \"open\"))).");
            }
            if (criterion instanceof DegradedRateCriterion || criterion instanceof FullServiceCriterion) {
                List<TrafficRequest> requests = traffic.requests(new WriteLedger());
                if (requests.stream().noneMatch(r -> r.degraded().isPresent())) {
                    throw new IllegalArgumentException("Experiment '" + experiment + "': objective '"
                            + criterion.describe() + "' can never be violated: none of its traffic's requests ("
                            + requests.stream().map(TrafficRequest::series).collect(Collectors.joining(", "))
                            + ") says how to tell a degraded answer. Declare one with"
                            + " TrafficRequest.degradedWhen(DegradedAnswer.jsonField(..)), or use"
                            + " Criteria.successRate().");
                }
            }
        }
    }
}
