package dev.gameday.assertions;

import java.util.Map;

/**
 * The figures of one phase, in total and per request series, exactly as the objectives saw them.
 *
 * @param span     where the phase lay
 * @param total    all requests that started in it
 * @param bySeries the same per request series, in the timeline's order
 */
public record PhaseSummary(PhaseSpan span, Figures total, Map<String, Figures> bySeries) {

    public PhaseSummary {
        bySeries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(bySeries));
    }

    public Phase phase() {
        return span.phase();
    }
}
