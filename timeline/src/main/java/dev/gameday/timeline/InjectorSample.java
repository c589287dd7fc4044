package dev.gameday.timeline;

import java.time.Duration;
import java.util.Objects;

/**
 * Health of the load generator over one sampling period, so that its own trouble is never blamed on the system
 * under test.
 *
 * @param at            end of the sampling period, since the timeline's origin
 * @param longestStall  the longest time a thread that asked to wake up after a millisecond was kept from running:
 *                      the injector's own pauses (GC, CPU starvation) in that period
 * @param stalled       the sum of those delays that exceeded {@link InjectorMonitor#STALL_TOLERANCE}: how long in the
 *                      period the injector could not send on time
 * @param openFiles     file descriptors open in the injector process, or -1 where the platform cannot tell
 * @param maxOpenFiles  the process's file descriptor limit, or -1 where the platform cannot tell
 */
public record InjectorSample(Duration at, Duration longestStall, Duration stalled, long openFiles, long maxOpenFiles) {

    public InjectorSample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(longestStall, "longestStall");
        Objects.requireNonNull(stalled, "stalled");
    }

    /** Share of the file descriptor limit in use, between 0 and 1; 0 where unknown. */
    public double fileDescriptorUsage() {
        return openFiles < 0 || maxOpenFiles <= 0 ? 0 : (double) openFiles / maxOpenFiles;
    }
}
