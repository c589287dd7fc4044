package dev.gameday.benchmarks;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Checks Gameday's speed and memory goals, each as a ratio to an HdrHistogram baseline measured side by side in the
 * same run (these machines are too noisy for absolute figures). Exits non-zero when a goal is missed.
 *
 * <pre>
 * scripts/benchmark
 * </pre>
 */
public final class BenchmarkSuite {

    /** Recording one request may cost at most this many times HdrHistogram's own wait-free Recorder. */
    static final double RECORDING_RATIO_GOAL = 3.0;
    /** A long run's timeline may retain at most this share of what plain per-second histograms would. */
    static final double MEMORY_RATIO_GOAL = 0.25;
    private static final int MEMORY_SECONDS = 600;
    private static final double MEMORY_RATE = 1_000;

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(RecordingBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(10).measurementTime(TimeValue.seconds(1))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        double timeline = score(results, "timelineRecorder");
        double reference = score(results, "hdrHistogramRecorder");
        double recordingRatio = timeline / reference;

        TimelineMemory.Result memory = TimelineMemory.measure(MEMORY_SECONDS, MEMORY_RATE);

        boolean recordingMet = recordingRatio <= RECORDING_RATIO_GOAL;
        boolean memoryMet = memory.ratio() <= MEMORY_RATIO_GOAL;
        System.out.println();
        System.out.println("| goal | measured | baseline (same run) | ratio | goal | met |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| recording one request (2 threads) | %.1f ns | %.1f ns (HdrHistogram Recorder) | %.2f | <= %.1f | %s |%n",
                timeline, reference, recordingRatio, RECORDING_RATIO_GOAL, recordingMet ? "yes" : "NO");
        System.out.printf(Locale.ROOT, "| timeline heap, %d s at %.0f req/s, 2 series | %,d KB (%,d KB per hour) | %,d KB (a Histogram per second and series) | %.3f | <= %.2f | %s |%n",
                MEMORY_SECONDS, MEMORY_RATE, memory.timelineBytes() / 1024, memory.timelineBytesPerHour() / 1024,
                memory.referenceBytes() / 1024, memory.ratio(), MEMORY_RATIO_GOAL, memoryMet ? "yes" : "NO");
        if (!recordingMet || !memoryMet) {
            System.exit(1);
        }
    }

    private static double score(Collection<RunResult> results, String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("JMH produced no result for " + method))
                .getPrimaryResult().getScore();
    }
}
