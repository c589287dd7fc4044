package dev.gameday.reports;

import dev.gameday.assertions.Evaluation;
import dev.gameday.timeline.Timeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a report renders about one run: what was run against what, the timeline, and what the assertions
 * decided. Reports only render it; they never decide anything.
 *
 * @param experiment  the experiment's name, for example {@code redis-timeouts}
 * @param environment what it ran against, for example {@code demo-trading-system (flaws: no-redis-timeout)}
 * @param description one sentence on what the experiment does
 * @param parameters  the run's settings in display order (rate, phase lengths, the fault), for the report header
 * @param timeline    what happened
 * @param evaluation  what the assertions decided
 */
public record RunReport(String experiment, String environment, String description, Map<String, String> parameters,
                        Timeline timeline, Evaluation evaluation) {

    public RunReport {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(evaluation, "evaluation");
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
