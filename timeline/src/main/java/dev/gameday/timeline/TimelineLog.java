package dev.gameday.timeline;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes and reads a timeline's intervals as an HdrHistogram interval log: one compressed histogram per second,
 * series and outcome, tagged {@code <series>/<OUTCOME>}, with the latency from the intended start; and one per second
 * and series tagged {@code <series>/SENT}, with the latency from the actual send. The format loses nothing, so logs
 * from several injectors can be added together, and HdrHistogram's own tools can read them.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(dir.resolve("timeline.hlog"))) {
 *     TimelineLog.write(timeline, out);
 * }
 * }</pre>
 */
public final class TimelineLog {

    private static final String SENT = "SENT";

    private TimelineLog() {
    }

    public static void write(Timeline timeline, OutputStream out) {
        Appender appender = new Appender(out, timeline.startedAt(), timeline.series());
        appender.append(timeline.intervals());
    }

    /**
     * Writes a log a few seconds at a time as a run goes on, so that a run that dies leaves what it measured so far.
     *
     * <pre>{@code
     * TimelineLog.Appender log = new TimelineLog.Appender(out, recorder.snapshot().startedAt(), series);
     * log.append(recorder.seal(Duration.ofSeconds(7)));
     * }</pre>
     */
    public static final class Appender {
        private final PrintStream print;
        private final HistogramLogWriter writer;
        private final long base;
        private final List<String> series;

        /** Writes the log's header at once. */
        public Appender(OutputStream out, Instant startedAt, List<String> series) {
            this.print = new PrintStream(out, false, StandardCharsets.UTF_8);
            this.writer = new HistogramLogWriter(print);
            this.base = startedAt.toEpochMilli();
            this.series = List.copyOf(series);
            writer.outputComment("Gameday timeline: latency in microseconds of the requests due to start in each"
                    + " second, from their intended start, tagged <series>/<outcome>; from their actual send, tagged"
                    + " <series>/SENT");
            writer.outputLogFormatVersion();
            writer.outputStartTime(base);
            writer.setBaseTime(base);
            writer.outputLegend();
            print.flush();
        }

        /** Appends the intervals and flushes them to the stream. */
        public void append(List<Interval> intervals) {
            for (Interval interval : intervals) {
                for (int s = 0; s < series.size(); s++) {
                    for (Outcome outcome : Outcome.values()) {
                        write(writer, interval.latencies(s, outcome), series.get(s), outcome.name(), base,
                                interval.second());
                    }
                    write(writer, interval.serviceTimes(s), series.get(s), SENT, base, interval.second());
                }
            }
            print.flush();
        }
    }

    private static void write(HistogramLogWriter writer, Histogram histogram, String series, String kind, long base,
                              int second) {
        if (histogram.getTotalCount() == 0) {
            return;
        }
        histogram.setTag(URLEncoder.encode(series, StandardCharsets.UTF_8) + "/" + kind);
        histogram.setStartTimeStamp(base + second * 1_000L);
        histogram.setEndTimeStamp(base + (second + 1) * 1_000L);
        writer.outputIntervalHistogram(histogram);
    }

    /**
     * Reads a log written by {@link #write} back into a timeline with the same intervals (no events, injector samples
     * or offered load: those travel in the report's JSON summary).
     */
    public static Timeline read(InputStream in) {
        HistogramLogReader reader = new HistogramLogReader(in);
        List<String> series = new ArrayList<>();
        Map<Integer, Map<String, Histogram>> bySecond = new TreeMap<>();
        double startSeconds = Double.NaN;
        EncodableHistogram next;
        while ((next = reader.nextIntervalHistogram()) != null) {
            if (Double.isNaN(startSeconds)) {
                startSeconds = reader.getStartTimeSec();
            }
            Histogram histogram = (Histogram) next;
            String tag = histogram.getTag();
            int slash = tag == null ? -1 : tag.lastIndexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("Timeline log: interval without a '<series>/<outcome>' tag (" + tag
                        + "); was this log written by TimelineLog.write?");
            }
            String name = URLDecoder.decode(tag.substring(0, slash), StandardCharsets.UTF_8);
            if (!series.contains(name)) {
                series.add(name);
            }
            int second = (int) Math.round((histogram.getStartTimeStamp() / 1000.0) - startSeconds);
            bySecond.computeIfAbsent(second, k -> new HashMap<>()).put(tag, histogram);
        }
        TreeMap<Integer, Interval> intervals = new TreeMap<>();
        bySecond.forEach((second, tagged) -> {
            Histogram[] histograms = new Histogram[series.size() * Interval.HISTOGRAMS_PER_SERIES];
            tagged.forEach((tag, histogram) -> {
                int slash = tag.lastIndexOf('/');
                int s = series.indexOf(URLDecoder.decode(tag.substring(0, slash), StandardCharsets.UTF_8));
                String kind = tag.substring(slash + 1);
                int offset = kind.equals(SENT) ? Interval.SERVICE_TIME : Outcome.valueOf(kind).ordinal();
                histograms[s * Interval.HISTOGRAMS_PER_SERIES + offset] = histogram;
            });
            intervals.put(second, new Interval(second, histograms));
        });
        Instant start = Double.isNaN(startSeconds) ? Instant.EPOCH : Instant.ofEpochMilli(Math.round(startSeconds * 1000));
        return new Timeline(start, series, intervals, List.of(), List.of(), new OfferedLoad(List.of()));
    }
}
