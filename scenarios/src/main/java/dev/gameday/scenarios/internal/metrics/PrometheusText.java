package dev.gameday.scenarios.internal.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, and the OpenMetrics text it resembles): one sample a
 * line, {@code name{label="value",...} value [timestamp]}, with {@code #} comments ({@code HELP}, {@code TYPE},
 * {@code EOF}) skipped. Label values may hold escaped quotes, backslashes and newlines; values may be {@code NaN},
 * {@code +Inf} or {@code -Inf}. A line that cannot be read is skipped and counted, so that one odd metric does not
 * cost the reading of the others.
 *
 * <pre>{@code
 * PrometheusText.Parsed parsed = PrometheusText.parse(body);
 * double open = parsed.sum("resilience4j_circuitbreaker_state", Map.of("name", "exchange", "state", "open")).orElseThrow();
 * }</pre>
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * One sample.
     *
     * @param name   the metric name, with its suffix ({@code _total}, {@code _count}, {@code _bucket}) if it has one
     * @param labels its labels, in the order written
     * @param value  its value
     */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            Objects.requireNonNull(name, "name");
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        /** Whether it has every one of these labels with these values. */
        public boolean has(Map<String, String> wanted) {
            for (Map.Entry<String, String> entry : wanted.entrySet()) {
                if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * What a page of metrics held.
     *
     * @param samples      every sample read, in order
     * @param skippedLines lines that were neither a comment nor a readable sample
     */
    public record Parsed(List<Sample> samples, int skippedLines) {
        public Parsed {
            samples = List.copyOf(samples);
        }

        /**
         * The sum of the samples named {@code name} with every one of {@code labels}, or empty when there is none (a
         * NaN sample is left out of the sum; only NaN samples also give empty).
         */
        public java.util.OptionalDouble sum(String name, Map<String, String> labels) {
            double sum = 0;
            boolean found = false;
            for (Sample sample : samples) {
                if (sample.name().equals(name) && sample.has(labels) && !Double.isNaN(sample.value())) {
                    sum += sample.value();
                    found = true;
                }
            }
            return found ? java.util.OptionalDouble.of(sum) : java.util.OptionalDouble.empty();
        }
    }

    /** Reads a page of metrics. */
    public static Parsed parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int skipped = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Sample sample = sample(line);
            if (sample == null) {
                skipped++;
            } else {
                samples.add(sample);
            }
        }
        return new Parsed(samples, skipped);
    }

    /** One sample line, or null if it cannot be read. */
    static Sample sample(String line) {
        int i = 0;
        int length = line.length();
        while (i < length && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            return null;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < length && line.charAt(i) == '{') {
            i++;
            while (true) {
                i = skipSpaces(line, i);
                if (i >= length) {
                    return null;
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (i < length && isNameChar(line.charAt(i), i == start)) {
                    i++;
                }
                if (i == start) {
                    return null;
                }
                String label = line.substring(start, i);
                i = skipSpaces(line, i);
                if (i >= length || line.charAt(i) != '=') {
                    return null;
                }
                i = skipSpaces(line, i + 1);
                if (i >= length || line.charAt(i) != '"') {
                    return null;
                }
                StringBuilder value = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < length) {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < length) {
                        char escaped = line.charAt(i++);
                        value.append(escaped == 'n' ? '\n' : escaped);
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    return null;
                }
                labels.put(label, value.toString());
                i = skipSpaces(line, i);
                if (i < length && line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            return null;
        }
        Double value = number(rest[0]);
        return value == null ? null : new Sample(name, labels, value);
    }

    private static Double number(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private static int skipSpaces(String line, int i) {
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
    }
}
