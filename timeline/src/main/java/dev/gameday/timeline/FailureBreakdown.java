package dev.gameday.timeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the unsuccessful requests of a span were: how many got each HTTP status that was not accepted, and how many got
 * no response by {@link TransportError kind}, with the exception class of the {@link TransportError#OTHER} ones.
 * Immutable; breakdowns of different seconds or series add up with {@link #plus}.
 *
 * <p>A request recorded with only its {@link Outcome} (no status, no error) is in the window's outcome counts but not
 * here: {@link #counts} lists the difference as {@code error status} or {@code no response}, so the listed counts
 * always add up to the failures.
 *
 * <pre>{@code
 * Window fault = timeline.window(ofSeconds(50), ofSeconds(71));
 * fault.failureCounts();   // [503 ×412, timeout ×300, refused ×44]
 * }</pre>
 *
 * @param statuses    error statuses and how many requests got each, by status
 * @param errors      requests without a response, by kind
 * @param otherErrors of the {@link TransportError#OTHER} ones, how many per exception class (an unknown class is
 *                    {@code ""}); may add up to fewer than {@code errors.get(OTHER)}, when a second saw more distinct
 *                    classes than it keeps
 */
public record FailureBreakdown(Map<Integer, Long> statuses, Map<TransportError, Long> errors,
                               Map<String, Long> otherErrors) {

    /** No failures. */
    public static final FailureBreakdown NONE = new FailureBreakdown(Map.of(), Map.of(), Map.of());

    /** Label for error statuses recorded without their status (or beyond what a second keeps). */
    public static final String UNLISTED_STATUS = "error status";
    /** Label for requests without a response recorded without their kind. */
    public static final String UNLISTED_ERROR = "no response";

    public FailureBreakdown {
        statuses = Collections.unmodifiableMap(new TreeMap<>(withoutZeros(statuses)));
        EnumMap<TransportError, Long> kinds = new EnumMap<>(TransportError.class);
        kinds.putAll(withoutZeros(errors));
        errors = Collections.unmodifiableMap(kinds);
        otherErrors = Collections.unmodifiableMap(new TreeMap<>(withoutZeros(otherErrors)));
    }

    private static <K> Map<K, Long> withoutZeros(Map<K, Long> counts) {
        Map<K, Long> kept = new java.util.HashMap<>();
        Objects.requireNonNull(counts, "counts").forEach((key, count) -> {
            if (count != null && count > 0) {
                kept.put(Objects.requireNonNull(key, "key"), count);
            }
        });
        return kept;
    }

    public boolean isEmpty() {
        return statuses.isEmpty() && errors.isEmpty();
    }

    /** Requests counted here with an error status. */
    public long statusCount() {
        return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests counted here without a response. */
    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(TransportError kind) {
        return errors.getOrDefault(kind, 0L);
    }

    public long count(int status) {
        return statuses.getOrDefault(status, 0L);
    }

    /** Both together. */
    public FailureBreakdown plus(FailureBreakdown other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        Map<Integer, Long> s = new TreeMap<>(statuses);
        other.statuses.forEach((k, v) -> s.merge(k, v, Long::sum));
        Map<TransportError, Long> e = new EnumMap<>(TransportError.class);
        e.putAll(errors);
        other.errors.forEach((k, v) -> e.merge(k, v, Long::sum));
        Map<String, Long> o = new TreeMap<>(otherErrors);
        other.otherErrors.forEach((k, v) -> o.merge(k, v, Long::sum));
        return new FailureBreakdown(s, e, o);
    }

    /**
     * One line each, largest first: each error status ({@code 503}), each kind of missing response ({@code timeout},
     * {@code refused}, {@code reset}), {@code other} ones by exception class ({@code other IOException}), and, where the
     * window counted more failures than this breakdown knows of (requests recorded without detail), the rest as
     * {@value #UNLISTED_STATUS} or {@value #UNLISTED_ERROR}.
     *
     * @param errorStatuses requests of the window answered with an error status
     * @param noResponses   requests of the window without a response
     */
    public List<Count> counts(long errorStatuses, long noResponses) {
        List<Count> counts = new ArrayList<>();
        statuses.forEach((status, count) -> counts.add(new Count(Integer.toString(status), count)));
        long unlistedStatuses = errorStatuses - statusCount();
        if (unlistedStatuses > 0) {
            counts.add(new Count(UNLISTED_STATUS, unlistedStatuses));
        }
        errors.forEach((kind, count) -> {
            if (kind != TransportError.OTHER) {
                counts.add(new Count(kind.label(), count));
            }
        });
        long other = count(TransportError.OTHER);
        for (Map.Entry<String, Long> byClass : otherErrors.entrySet()) {
            String name = byClass.getKey();
            counts.add(new Count(name.isEmpty() ? "other" : "other " + simpleName(name), byClass.getValue()));
            other -= byClass.getValue();
        }
        if (other > 0) {
            counts.add(new Count("other", other));
        }
        long unlistedErrors = noResponses - errorCount();
        if (unlistedErrors > 0) {
            counts.add(new Count(UNLISTED_ERROR, unlistedErrors));
        }
        // one line per label ("other" can come both from an unknown class and from classes a second did not keep)
        Map<String, Long> merged = new java.util.LinkedHashMap<>();
        counts.forEach(count -> merged.merge(count.label(), count.count(), Long::sum));
        List<Count> lines = new ArrayList<>();
        merged.forEach((label, count) -> lines.add(new Count(label, count)));
        lines.sort(Comparator.comparingLong(Count::count).reversed());
        return List.copyOf(lines);
    }

    /** {@code IOException} for {@code java.io.IOException}, {@code Errors$NativeIoException} stays as it is. */
    static String simpleName(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    /**
     * One line of a breakdown.
     *
     * @param label what the requests got, for example {@code 503} or {@code timeout}
     * @param count how many
     */
    public record Count(String label, long count) {
        public Count {
            Objects.requireNonNull(label, "label");
        }

        /** {@code 503 ×412}, with the given multiplication sign ({@code ×}, or {@code x} where only ASCII shows). */
        public String format(String times) {
            return label + " " + times + String.format(java.util.Locale.ROOT, "%,d", count);
        }

        @Override
        public String toString() {
            return format("×");
        }
    }
}
