package dev.gameday.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code summary.json}, schema version {@value #SCHEMA_VERSION}: one run's identity, verdict, phase
 * figures, objective results, events, injector health and a per-second series for charts. Written by
 * {@link JsonSummaryReport}, read back with {@link JsonSummaryReport#read}.
 *
 * <p>Conventions, which a new schema version would be needed to change:
 * <ul>
 *   <li>Times on the run's timeline are seconds since its start ({@code ...Seconds}, {@code second}); wall-clock times
 *       are ISO-8601 UTC strings; latencies are milliseconds, grouped under {@code latencyMs}.</li>
 *   <li>Enumerations are written as the Java constants: verdict {@code PASSED|FAILED|INVALID}, result status
 *       {@code MET|VIOLATED|UNRESOLVED}, event kind as in {@code TimelineEvent.Kind}, figure unit as in
 *       {@code Figure.Unit} ({@code MILLISECONDS|SECONDS|PERCENT|PER_SECOND|COUNT|VALUE|VALUE_PER_MINUTE}). Phases are lower case
 *       ({@code warmup|baseline|fault|recovery|after}).</li>
 *   <li>A value that does not exist is {@code null}, never left out: a success percentage without requests, the
 *       actual figure of an unresolved objective, time-to-recover when the system did not recover.</li>
 *   <li>Readers must ignore fields they do not know: later versions of schema 1 may add fields, never remove or
 *       rename them.</li>
 * </ul>
 *
 * <pre>{@code
 * RunSummary summary = JsonSummaryReport.read(dir.resolve("summary.json"));
 * if (!summary.verdict().equals("PASSED")) { ... }
 * }</pre>
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param experiment    the experiment's name
 * @param environment   what it ran against
 * @param description   one sentence on what the experiment does
 * @param parameters    the run's settings, in display order
 * @param startedAt     wall-clock start of the timeline, ISO-8601 UTC
 * @param durationSeconds length of the timeline
 * @param verdict       {@code PASSED}, {@code FAILED} or {@code INVALID}
 * @param headline      one line: the verdict and its reasons
 * @param invalidity    why the run cannot judge the system under test; empty for a valid run
 * @param timeToRecover from the verified restore to recovery; {@code null} when not recovered or not measured
 * @param series        names of the request series, in recording order
 * @param phases        the figures of each phase that happened, in order
 * @param results       one entry per objective, in the objective set's order
 * @param events        what happened during the run (fault injected, active, restored...), in order
 * @param injector      the load generator's own health
 * @param perSecond     one entry per second of the timeline, all series together
 * @param serverSeries  the system's gauges the harness read while the run went on, each with its readings; empty
 *                      when the experiment read none, {@code null} in summaries written before they were kept
 */
@JsonPropertyOrder({"schemaVersion", "experiment", "environment", "description", "parameters", "startedAt",
        "durationSeconds", "verdict", "headline", "invalidity", "timeToRecover", "series", "phases", "results", "events",
        "injector", "perSecond", "serverSeries"})
public record RunSummary(int schemaVersion, String experiment, String environment, String description,
                         Map<String, String> parameters, String startedAt, double durationSeconds, String verdict,
                         String headline, List<String> invalidity, Elapsed timeToRecover, List<String> series,
                         List<PhaseEntry> phases, List<ResultEntry> results, List<EventEntry> events,
                         InjectorHealth injector, List<SecondEntry> perSecond, List<ServerSeriesEntry> serverSeries) {

    /**
     * A server-side series: one gauge of the system under test, read by the harness about once a second.
     *
     * @param name     the name the experiment gave it, for example {@code breaker-open}
     * @param readings every reading, in order
     */
    @JsonPropertyOrder({"name", "readings"})
    public record ServerSeriesEntry(String name, List<ServerReading> readings) {
    }

    /**
     * One reading of a server-side series.
     *
     * @param atSeconds when it was taken, seconds since the start
     * @param value     the gauge's value; {@code null} when the harness could not read it (never the system's failure)
     */
    @JsonPropertyOrder({"atSeconds", "value"})
    public record ServerReading(double atSeconds, Double value) {
    }

    /** The version of the schema this class describes. */
    public static final int SCHEMA_VERSION = 1;

    /**
     * A length of time, both ways.
     *
     * @param iso     ISO-8601 duration, for example {@code PT7.68S}
     * @param seconds the same in seconds, for example {@code 7.68}
     */
    public record Elapsed(String iso, double seconds) {
    }

    /**
     * The figures of a set of requests (a phase, or one series in it).
     *
     * @param requests       requests that started
     * @param errorStatus    answered with an error status
     * @param noResponse     not answered (timeout, refused, reset)
     * @param successPercent share of successful requests; {@code null} without requests
     * @param requestRate    requests started per second
     * @param successRate    successful requests per second
     * @param latencyMs      latency percentiles over every request whatever its outcome
     * @param failures       what the failures were; {@code null} in summaries written before it was kept
     * @param degraded       answered with an accepted status but degraded content (counted in {@code successPercent});
     *                       {@code null} in summaries written before it was kept
     */
    @JsonPropertyOrder({"requests", "errorStatus", "noResponse", "successPercent", "requestRate", "successRate", "latencyMs",
            "failures", "degraded"})
    public record Stats(long requests, long errorStatus, long noResponse, Double successPercent, double requestRate,
                        double successRate, Latency latencyMs, Failures failures, Long degraded) {
    }

    /**
     * What the unsuccessful requests were.
     *
     * @param statuses    each error status (as text, for example {@code "503"}) and how many requests got it
     * @param errors      requests without a response by kind: {@code timeout}, {@code refused}, {@code reset},
     *                    {@code other}
     * @param otherErrors of the {@code other} ones, how many per exception class ({@code ""} where it is unknown)
     * @param unlisted    failures counted without their status or kind (recorded without them, or beyond the few
     *                    distinct statuses a second keeps)
     * @param text        as people read it, largest first, for example {@code 503 ×412 · timeout ×300}; empty without
     *                    failures
     */
    @JsonPropertyOrder({"statuses", "errors", "otherErrors", "unlisted", "text"})
    public record Failures(Map<String, Long> statuses, Map<String, Long> errors, Map<String, Long> otherErrors,
                           long unlisted, String text) {
    }

    /**
     * Latency percentiles in milliseconds, from each request's intended start; {@code sentP95} and {@code sentP99} from its
     * actual send, without the load generator's own delay. All zero without requests.
     */
    @JsonPropertyOrder({"p50", "p95", "p99", "max", "sentP95", "sentP99"})
    public record Latency(double p50, double p95, double p99, double max, double sentP95, double sentP99) {
    }

    /**
     * One phase of the run.
     *
     * @param phase       {@code warmup}, {@code baseline}, {@code fault}, {@code recovery} or {@code after}
     * @param fromSeconds start, inclusive
     * @param toSeconds   end, exclusive
     * @param total       all requests that started in the phase
     * @param bySeries    the same per request series, in the timeline's order
     */
    @JsonPropertyOrder({"phase", "fromSeconds", "toSeconds", "total", "bySeries"})
    public record PhaseEntry(String phase, double fromSeconds, double toSeconds, Stats total, Map<String, Stats> bySeries) {
    }

    /**
     * A figure with its unit.
     *
     * @param value   the number, in the unit
     * @param unit    {@code MILLISECONDS}, {@code SECONDS}, {@code PERCENT}, {@code PER_SECOND} or {@code COUNT}
     * @param atLeast true when the true value is only known to be greater
     * @param text    as people read it, for example {@code 5,001 ms} or {@code more than 19 s}
     */
    @JsonPropertyOrder({"value", "unit", "atLeast", "text"})
    public record Quantity(double value, String unit, boolean atLeast, String text) {
    }

    /**
     * What an objective expects.
     *
     * @param text       as people read it, for example {@code < 500 ms}
     * @param comparison {@code <}, {@code >}, {@code >=} or {@code =}
     * @param value      the bound; {@code null} for an objective of a kind this version does not know
     * @param unit       the bound's unit, as in {@link Quantity#unit()}; {@code null} with the value
     */
    @JsonPropertyOrder({"text", "comparison", "value", "unit"})
    public record Expected(String text, String comparison, Double value, String unit) {
    }

    /**
     * One objective's result.
     *
     * @param status    {@code MET}, {@code VIOLATED} or {@code UNRESOLVED}
     * @param objective the objective's name, for example {@code p95 latency < 500 ms}
     * @param scope     where it applies, for example {@code fault} or {@code whole run}
     * @param message   a sentence naming the objective, its scope, and what was expected and found
     * @param expected  what the objective expects
     * @param actual    what was measured; {@code null} when unresolved
     * @param detail    context for a met or violated result (may be empty), the reason for an unresolved one
     * @param fromSeconds start of the phase it was assessed in; {@code null} for the whole run or a phase that did not
     *                  happen
     * @param toSeconds end of that phase, exclusive; {@code null} with {@code fromSeconds}
     */
    @JsonPropertyOrder({"status", "objective", "scope", "message", "expected", "actual", "detail", "fromSeconds", "toSeconds"})
    public record ResultEntry(String status, String objective, String scope, String message, Expected expected,
                              Quantity actual, String detail, Double fromSeconds, Double toSeconds) {
    }

    /**
     * Something that happened during the run.
     *
     * @param atSeconds time since the start
     * @param kind      as in {@code TimelineEvent.Kind}, for example {@code FAULT_ACTIVE}
     * @param subject   what it happened to, for example the fault's name
     * @param detail    free text, for example the evidence that a fault took effect; may be empty
     */
    @JsonPropertyOrder({"atSeconds", "kind", "subject", "detail"})
    public record EventEntry(double atSeconds, String kind, String subject, String detail) {
    }

    /**
     * The load generator's own health over the run, so that its trouble is never blamed on the system under test.
     *
     * @param samples                  how many health samples were taken; 0 when nobody watched
     * @param maxLongestStallMs        the longest single stall
     * @param totalStalledMs           the sum of the stalls that counted
     * @param maxFileDescriptorPercent the highest share of the file descriptor limit in use; {@code null} if unknown
     * @param maxOpenFiles             file descriptors open at that point; {@code null} if unknown
     * @param fileDescriptorLimit      the limit; {@code null} if unknown
     */
    @JsonPropertyOrder({"samples", "maxLongestStallMs", "totalStalledMs", "maxFileDescriptorPercent", "maxOpenFiles",
            "fileDescriptorLimit"})
    public record InjectorHealth(int samples, double maxLongestStallMs, double totalStalledMs,
                                 Double maxFileDescriptorPercent, Long maxOpenFiles, Long fileDescriptorLimit) {
    }

    /**
     * The requests that started in one second, all series together.
     *
     * @param second         seconds since the start
     * @param requests       requests that started in it
     * @param errorStatus    answered with an error status
     * @param noResponse     not answered
     * @param successPercent share of successful requests; {@code null} without requests
     * @param offered        requests the offered load called for in that second
     * @param latencyMs      latency percentiles in milliseconds
     * @param injectorStalledMs how long the load generator could not run on time in that second (its samples that
     *                          ended in it); {@code null} when no sample did
     * @param failures       what the failures were; {@code null} when every request succeeded
     * @param degraded       answered with an accepted status but degraded content; {@code null} in summaries written
     *                       before it was kept
     */
    @JsonPropertyOrder({"second", "requests", "errorStatus", "noResponse", "successPercent", "offered", "latencyMs",
            "injectorStalledMs", "failures", "degraded"})
    public record SecondEntry(long second, long requests, long errorStatus, long noResponse, Double successPercent,
                              double offered, Latency latencyMs, Double injectorStalledMs, Failures failures,
                              Long degraded) {
    }
}
