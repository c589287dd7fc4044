package dev.gameday.timeline;

/**
 * A source of monotonic nanoseconds, the one clock every part of an experiment reads.
 *
 * <p>Injected so that tests drive time by hand instead of waiting:
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * TimelineRecorder recorder = TimelineRecorder.create(now::get, Clock.systemUTC());
 * }</pre>
 */
@FunctionalInterface
public interface Ticker {

    /** Monotonic time in nanoseconds; only differences between two readings mean anything. */
    long read();

    /** The JVM's {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
