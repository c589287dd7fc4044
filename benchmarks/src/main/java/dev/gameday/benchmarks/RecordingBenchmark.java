package dev.gameday.benchmarks;

import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineRecorder;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of recording one request on the injector's request path, next to the cheapest wait-free recorder there
 * is (HdrHistogram's {@link Recorder}), with two threads recording at once as Gatling's event loops do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
@State(Scope.Benchmark)
public class RecordingBenchmark {

    private static final long SECOND = 1_000_000_000L;
    private static final int SECONDS = 60;

    private TimelineRecorder timeline;
    private SeriesRecorder series;
    private Recorder hdr;
    private long origin;

    @Setup(Level.Iteration)
    public void setUp() {
        timeline = TimelineRecorder.create();
        series = timeline.series("place order");
        timeline.start(OfferedLoad.constant(1_000, Duration.ofSeconds(SECONDS)));
        origin = timeline.now();
        hdr = new Recorder(3);
    }

    /** Gameday's hot path: one request into the per-second histograms of its start second. */
    @Benchmark
    public void timelineRecorder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long start = origin + random.nextLong(SECONDS * SECOND);
        series.record(Outcome.SUCCESS, start, start + 1_000_000 + random.nextInt(50_000_000));
    }

    /** The reference: a single wait-free HdrHistogram recorder, no time keying, no outcome. */
    @Benchmark
    public void hdrHistogramRecorder() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        random.nextLong(SECONDS * SECOND);
        hdr.recordValue((1_000_000 + random.nextInt(50_000_000)) / 1_000);
    }
}
