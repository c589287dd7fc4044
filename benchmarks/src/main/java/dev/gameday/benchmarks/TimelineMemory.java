package dev.gameday.benchmarks;

import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineRecorder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Random;

/**
 * How much heap a recording timeline retains per recorded second, next to the smallest lossless alternative at the
 * same resolution: one HdrHistogram per second and series kept in memory.
 */
final class TimelineMemory {

    /** What was measured: retained bytes of the timeline and of the reference, for the same recorded requests. */
    record Result(int seconds, double ratePerSecond, long timelineBytes, long referenceBytes) {
        double ratio() {
            return (double) timelineBytes / referenceBytes;
        }

        long timelineBytesPerHour() {
            return timelineBytes * 3_600 / seconds;
        }
    }

    /** The runner seals seconds older than the request timeout plus a margin; the default timeout is 5 s. */
    static final Duration SEAL_AFTER = Duration.ofSeconds(7);

    private TimelineMemory() {
    }

    static Result measure(int seconds, double ratePerSecond) {
        long before = usedAfterGc();
        TimelineRecorder recorder = record(seconds, ratePerSecond);
        long timeline = usedAfterGc() - before;
        reachabilityFence(recorder);

        before = usedAfterGc();
        org.HdrHistogram.Histogram[] reference = reference(seconds, ratePerSecond);
        long referenceBytes = usedAfterGc() - before;
        reachabilityFence(reference);
        return new Result(seconds, ratePerSecond, timeline, referenceBytes);
    }

    /** Records like a run: two series, latencies of a few milliseconds with a slow tail, 0.5 % errors. */
    static TimelineRecorder record(int seconds, double ratePerSecond) {
        long[] now = {1_000_000_000_000L};
        TimelineRecorder recorder = TimelineRecorder.create(() -> now[0], java.time.Clock.systemUTC());
        SeriesRecorder place = recorder.series("place order");
        SeriesRecorder read = recorder.series("read order");
        recorder.start(OfferedLoad.constant(ratePerSecond, Duration.ofSeconds(seconds)));
        Random random = new Random(42);
        long gap = (long) (1e9 / ratePerSecond);
        long origin = now[0];
        for (long i = 0; i < (long) (seconds * ratePerSecond); i++) {
            long start = origin + i * gap;
            long latency = latency(random);
            Outcome outcome = random.nextInt(200) == 0 ? Outcome.ERROR_STATUS : Outcome.SUCCESS;
            (i % 2 == 0 ? place : read).record(outcome, start, start + latency);
            now[0] = start;
            if (i % (long) ratePerSecond == 0) {
                // as the runner does on each progress tick: seal what no request in flight can still belong to
                recorder.seal(SEAL_AFTER);
            }
        }
        return recorder;
    }

    private static org.HdrHistogram.Histogram[] reference(int seconds, double ratePerSecond) {
        org.HdrHistogram.Histogram[] histograms = new org.HdrHistogram.Histogram[seconds * 2];
        Random random = new Random(42);
        for (int s = 0; s < seconds; s++) {
            for (int series = 0; series < 2; series++) {
                histograms[s * 2 + series] = new org.HdrHistogram.Histogram(3);
            }
            for (int i = 0; i < ratePerSecond; i++) {
                histograms[s * 2 + (i % 2)].recordValue(latency(random) / 1_000);
            }
        }
        return histograms;
    }

    private static long latency(Random random) {
        return random.nextInt(100) == 0 ? 50_000_000L + random.nextInt(2_000_000_000) : 1_000_000L + random.nextInt(8_000_000);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void reachabilityFence(Object o) {
        java.lang.ref.Reference.reachabilityFence(o);
    }
}
