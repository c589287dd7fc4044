package dev.gameday.scenarios;

import dev.gameday.environments.TargetEvent;
import dev.gameday.faults.FaultListener;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineRecorder;
import dev.gameday.timeline.Window;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Writes fault events into the timeline as they happen and prints the run's progress: every event at once, and
 * every few seconds the phase, the request rate, p99 latency, the error share and the hanging requests of the last
 * complete seconds.
 *
 * <p>A request <em>hangs</em> when it is still in flight more than {@link #HANGING_AFTER} after it was due. The line
 * covers the requests due in seconds that ended at least that long ago, so every one of them still in flight hangs.
 * They count as errors in the share (over the completed and the hanging requests together), so that a system where
 * every request hangs shows 100 % errors at once instead of 0 % until the request timeout. One second, not the request
 * timeout: a hang shows in the next line instead of a timeout later, and no latency objective worth the name allows a
 * second (the catalogue's are 100 and 500 ms); the line's p99 still comes from completed requests only.
 */
final class LiveProgress implements FaultListener {

    /** How long past its due time a request still in flight counts as hanging. */
    static final Duration HANGING_AFTER = Duration.ofSeconds(1);

    private final TimelineRecorder recorder;
    private final PrintStream out;
    private final Duration faultAt;
    private final Duration warmup;
    private final Duration recoveryBound;
    private volatile String phase = "warmup";
    private volatile Duration healedAt;

    LiveProgress(TimelineRecorder recorder, PrintStream out, Duration warmup, Duration faultAt, Duration recoveryBound) {
        this.recorder = recorder;
        this.out = out;
        this.warmup = warmup;
        this.faultAt = faultAt;
        this.recoveryBound = recoveryBound;
    }

    /** Prints the figures of the requests that started in the last {@code period}, leaving the newest second out. */
    void tick(Duration period) {
        Duration now = recorder.elapsed();
        if (phase.equals("warmup") && now.compareTo(warmup) >= 0 && now.compareTo(faultAt) < 0) {
            phase = "baseline";
        }
        if (phase.equals("recovery") && healedAt != null && now.compareTo(healedAt.plus(recoveryBound)) >= 0) {
            phase = "after";
        }
        Duration to = Duration.ofSeconds(Math.max(0, now.minus(HANGING_AFTER).toSeconds()));
        Duration from = to.minus(period).isNegative() ? Duration.ZERO : to.minus(period);
        if (!to.isZero()) {
            print(line(phase, recorder.window(from, to), recorder.inFlight(from, to)));
        }
    }

    /** {@code fault  200.0 req/s   p99  75.4 ms   errors  12.00 % · hanging 412}. */
    static String line(String phase, Window window, long hanging) {
        long started = window.requests() + hanging;
        double errors = started == 0 ? 0 : 100.0 * (window.failures() + hanging) / started;
        double seconds = window.length().toNanos() / 1e9;
        return String.format(Locale.ROOT, "%-9s %7.1f req/s   p99 %8.1f ms   errors %6.2f %% · hanging %,d", phase,
                seconds == 0 ? 0 : started / seconds, window.latencyAtPercentile(99).toNanos() / 1e6, errors, hanging);
    }

    void note(String message) {
        recorder.event(TimelineEvent.Kind.NOTE, "run", message);
        print(message);
    }

    /** A target died, started or ran out of memory by itself: on the timeline, and printed at once. */
    void target(TargetEvent event) {
        TimelineEvent.Kind kind = switch (event.kind()) {
            case DIED -> TimelineEvent.Kind.TARGET_DIED;
            case STARTED -> TimelineEvent.Kind.TARGET_STARTED;
            case OOM_KILLED -> TimelineEvent.Kind.TARGET_OUT_OF_MEMORY;
        };
        String detail = event.describe();
        recorder.event(kind, event.target(), detail);
        String what = switch (event.kind()) {
            case DIED -> "died";
            case STARTED -> "started";
            case OOM_KILLED -> "ran out of memory";
        };
        print("target '" + event.target() + "' " + what + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** After it (re)started, the environment reports itself healthy again: the target's own recovery. */
    void targetReady(String target, String detail) {
        recorder.event(TimelineEvent.Kind.TARGET_READY, target, detail);
        print("target '" + target + "' ready again: " + detail);
    }

    void scheduled(String fault, String plan) {
        recorder.event(TimelineEvent.Kind.FAULT_SCHEDULED, fault, plan);
    }

    void trafficObserved(String fault, String evidence) {
        recorder.event(TimelineEvent.Kind.TRAFFIC_OBSERVED, fault, evidence);
        print("fault '" + fault + "' target traffic: " + evidence);
    }

    void trafficMissing(String fault, String problem) {
        recorder.event(TimelineEvent.Kind.TRAFFIC_MISSING, fault, problem);
        print("fault '" + fault + "': " + problem);
    }

    @Override
    public void injecting(String fault, String description) {
        recorder.event(TimelineEvent.Kind.FAULT_INJECTING, fault, description);
        print("fault '" + fault + "' injecting: " + description);
    }

    @Override
    public void active(String fault, String evidence) {
        phase = "fault";
        recorder.event(TimelineEvent.Kind.FAULT_ACTIVE, fault, evidence);
        print("fault '" + fault + "' active: " + evidence);
    }

    @Override
    public void injectionFailed(String fault, String reason) {
        recorder.event(TimelineEvent.Kind.FAULT_INJECTION_FAILED, fault, reason);
        print("fault '" + fault + "' could not be injected: " + reason);
    }

    @Override
    public void restoring(String fault) {
        recorder.event(TimelineEvent.Kind.FAULT_RESTORING, fault, "");
        print("fault '" + fault + "' reverting");
    }

    @Override
    public void restored(String fault, String evidence) {
        phase = "recovery";
        healedAt = recorder.event(TimelineEvent.Kind.FAULT_RESTORED, fault, evidence).at();
        print("fault '" + fault + "' reverted: " + evidence);
    }

    @Override
    public void restoreFailed(String fault, String reason) {
        recorder.event(TimelineEvent.Kind.FAULT_RESTORE_FAILED, fault, reason);
        print("fault '" + fault + "' could not be reverted: " + reason);
    }

    private void print(String line) {
        Duration at = recorder.isStarted() ? recorder.elapsed() : Duration.ZERO;
        out.printf(Locale.ROOT, "  +%5.1f s  %s%n", at.toMillis() / 1000.0, line);
        out.flush();
    }
}
