package dev.gameday.timeline;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the load generator's own health while it runs and records an {@link InjectorSample} per period: the
 * longest stall of a thread that asked to wake up every millisecond (a GC pause or CPU starvation delays every
 * virtual user the same way), and the process's file descriptors against their limit.
 *
 * <pre>{@code
 * try (InjectorMonitor monitor = InjectorMonitor.start(recorder, Duration.ofSeconds(1))) {
 *     // run the load
 * }
 * }</pre>
 */
public final class InjectorMonitor implements AutoCloseable {

    /**
     * A wake-up later than this counts as a stall. Timer slack makes most wake-ups a few tens of microseconds late;
     * only delays beyond it mean the injector could not run.
     */
    public static final Duration STALL_TOLERANCE = Duration.ofMillis(5);

    private static final long RESOLUTION_NANOS = Duration.ofMillis(1).toNanos();
    private static final long TOLERANCE_NANOS = STALL_TOLERANCE.toNanos();

    private final TimelineRecorder recorder;
    private final Ticker ticker;
    private final long periodNanos;
    private final Thread thread;
    private volatile boolean running = true;

    private long periodStart;
    private long longestStall;
    private long stalled;

    InjectorMonitor(TimelineRecorder recorder, Ticker ticker, Duration period) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("Injector monitor: period must be > 0, but was " + period + ".");
        }
        this.periodNanos = period.toNanos();
        this.periodStart = ticker.read();
        this.thread = new Thread(this::run, "gameday-injector-monitor");
        this.thread.setDaemon(true);
    }

    /** Starts watching on a daemon thread; close to stop. */
    public static InjectorMonitor start(TimelineRecorder recorder, Duration period) {
        InjectorMonitor monitor = new InjectorMonitor(recorder, Ticker.system(), period);
        monitor.thread.start();
        return monitor;
    }

    private void run() {
        while (running) {
            long before = ticker.read();
            LockSupport.parkNanos(RESOLUTION_NANOS);
            observe(before + RESOLUTION_NANOS, ticker.read());
        }
    }

    /** Accounts for one wake-up that was due at {@code due} and happened at {@code woke}; emits a sample per period. */
    void observe(long due, long woke) {
        long late = Math.max(0, woke - due);
        longestStall = Math.max(longestStall, late);
        if (late > TOLERANCE_NANOS) {
            stalled += late;
        }
        if (woke - periodStart >= periodNanos) {
            recorder.injector(new InjectorSample(recorder.elapsedAt(woke), Duration.ofNanos(longestStall),
                    Duration.ofNanos(stalled), openFiles(), maxOpenFiles()));
            periodStart = woke;
            longestStall = 0;
            stalled = 0;
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long openFiles() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    }

    private static long maxOpenFiles() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
