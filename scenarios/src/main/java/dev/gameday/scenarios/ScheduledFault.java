package dev.gameday.scenarios;

import dev.gameday.faults.ActiveFault;
import dev.gameday.faults.Fault;
import dev.gameday.faults.FaultException;
import dev.gameday.faults.TrafficMeter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One fault on the experiment's clock, run as a script on a thread of its own: at the start of the baseline it reads
 * the fault's traffic meter; when the fault is due it reads it again, injects the fault and waits for its effect, but
 * never past the moment it is due to be reverted; then it reads the meter once more, reverts the fault on schedule
 * and verifies the revert. So the timeline shows from evidence whether the system's traffic passed where the fault
 * acts during the baseline and from the injection to the revert (the fault's own probes left out): a fault on a
 * dependency the system does not reach that way cannot have reached it.
 *
 * <p>{@link #close()} (the load has ended, or the run failed) cuts every wait short: a fault still active is
 * reverted at once, one not yet injected never will be. An injection under way finishes first, bounded by its own
 * deadline, so nothing is interrupted half-applied.
 */
final class ScheduledFault implements AutoCloseable {

    /** The run's clock as this script sees it; tests drive it by hand. */
    interface Clock {
        /** Time since the experiment's origin. */
        Duration elapsed();

        /** Waits until {@code at}; returns false at once, or as soon as {@code stop} is counted down. */
        boolean sleepUntil(Duration at, CountDownLatch stop) throws InterruptedException;
    }

    /** How long {@link #close()} waits for the script: an injection's deadline, then a verified revert. */
    private static final Duration FINISH_TIMEOUT = Fault.DEFAULT_VERIFY_TIMEOUT.multipliedBy(3);

    private final Fault fault;
    private final LiveProgress progress;
    private final Duration baselineFrom;
    private final Duration injectAt;
    private final Duration revertAt;
    private final Clock clock;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private ActiveFault active; // only touched by the script's thread, then read after it ended

    ScheduledFault(Fault fault, LiveProgress progress, Duration baselineFrom, Duration injectAt, Duration length,
                   Clock clock) {
        this.fault = Objects.requireNonNull(fault, "fault");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.baselineFrom = baselineFrom;
        this.injectAt = injectAt;
        this.revertAt = injectAt.plus(length);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thread = new Thread(this::run, "gameday-fault-" + fault.name());
        this.thread.setDaemon(true);
    }

    /** Records the plan in the timeline and starts the script. */
    void start() {
        progress.scheduled(fault.name(), "due at " + seconds(injectAt) + " for " + seconds(revertAt.minus(injectAt)));
        thread.start();
    }

    private void run() {
        Optional<TrafficMeter> meter = fault.trafficMeter();
        try {
            if (!clock.sleepUntil(baselineFrom, stop)) {
                return;
            }
            OptionalLong baselineStart = read(meter);
            if (!clock.sleepUntil(injectAt, stop)) {
                return;
            }
            OptionalLong faultStart = read(meter);
            traffic(meter, "the baseline", baselineStart, faultStart);
            Duration slotLeft = revertAt.minus(clock.elapsed());
            if (slotLeft.isNegative() || slotLeft.isZero()) {
                progress.note("fault '" + fault.name() + "' was due at " + seconds(injectAt) + ", but its schedule woke"
                        + " only at " + seconds(clock.elapsed()) + ", past the fault's end; it was not injected");
                return;
            }
            try {
                active = fault.inject(progress, slotLeft);
            } catch (FaultException e) {
                return; // recorded in the timeline by the listener; the verdict will say the run is invalid
            }
            clock.sleepUntil(revertAt, stop);
            if (meter.isEmpty() || meter.get().countsDuringFault()) {
                // from just before the injection: a system whose calls hang sends its last bytes as the fault begins
                traffic(meter, "the fault", faultStart, read(meter));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            revert();
        }
    }

    /**
     * Reverts the fault if it is still active; safe to call more than once. A revert that failed is not tried again
     * here (the timeline says so, and the run is invalid); the shutdown safety net tries once more as the JVM exits.
     */
    private synchronized void revert() {
        if (active == null) {
            return;
        }
        try {
            active.close();
        } catch (FaultException e) {
            progress.note("revert failed: " + e.getMessage());
        } finally {
            active = null;
        }
    }

    /** Whether the script has run to its end. */
    boolean isDone() {
        return !thread.isAlive();
    }

    /**
     * Ends the script: a fault not yet injected never will be, an active one is reverted now. Returns once the fault is
     * reverted, or after a bounded wait.
     */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(FINISH_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            progress.note("the fault schedule of '" + fault.name() + "' did not finish within " + seconds(FINISH_TIMEOUT)
                    + "; the shutdown safety net reverts it if it is still active");
        } else {
            revert();
        }
    }

    private OptionalLong read(Optional<TrafficMeter> meter) {
        if (meter.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(meter.get().bytesSoFar());
        } catch (Exception e) {
            progress.trafficMissing(fault.name(), "Could not read " + meter.get().describe() + " to show that fault '"
                    + fault.name() + "' reaches the system under test: " + e.getMessage() + ". Without that evidence the"
                    + " run cannot judge the system.");
            return OptionalLong.empty();
        }
    }

    private void traffic(Optional<TrafficMeter> meter, String when, OptionalLong from, OptionalLong to) {
        if (meter.isEmpty()) {
            progress.note("fault '" + fault.name() + "' has no traffic meter: that it reaches the system under test is"
                    + " shown only by the experiment's negative control");
            return;
        }
        if (from.isEmpty() || to.isEmpty()) {
            return; // already reported as missing evidence
        }
        long bytes = to.getAsLong() - from.getAsLong();
        if (bytes > 0) {
            progress.trafficObserved(fault.name(), String.format(Locale.ROOT, "%s: %,d bytes from the system under test"
                    + " during %s", meter.get().describe(), bytes, when));
        } else {
            progress.trafficMissing(fault.name(), "During " + when + ", " + meter.get().describe() + " carried no"
                    + " traffic from the system under test, so fault '" + fault.name() + "' cannot have reached it: the"
                    + " system talks to that dependency some other way. Check that its connection settings point at the"
                    + " proxy, not at the dependency directly.");
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1_000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** The real clock: the timeline's origin and the JVM's monotonic time. */
    static Clock on(dev.gameday.timeline.TimelineRecorder recorder) {
        return new Clock() {
            @Override
            public Duration elapsed() {
                return recorder.elapsed();
            }

            @Override
            public boolean sleepUntil(Duration at, CountDownLatch stop) throws InterruptedException {
                Duration left = at.minus(recorder.elapsed());
                return left.isNegative() || left.isZero()
                        ? stop.getCount() > 0
                        : !stop.await(left.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }
}
