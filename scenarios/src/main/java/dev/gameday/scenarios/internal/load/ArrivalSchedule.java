package dev.gameday.scenarios.internal.load;

import io.gatling.javaapi.core.OpenInjectionStep;
import java.util.List;
import scala.collection.Iterator;
import scala.concurrent.duration.FiniteDuration;

/**
 * When each arrival of one open-model scenario was due, in order, as offsets from the start of the injection.
 *
 * <p>The offsets come from Gatling's own injection steps, the very ones the scenario is injected with, so the n-th
 * user Gatling starts is the n-th arrival here. When the load generator falls behind (a GC pause, a busy CPU), its
 * users start late but their due times do not move: a request is stamped with when it was due, and its latency counts
 * from there, as a user arriving on time would have seen it. That is what keeps coordinated omission out of the
 * figures. A user that starts a little early (timer jitter) is stamped with its actual start, never a time before it.
 */
final class ArrivalSchedule {

    private final Iterator<FiniteDuration> due; // guarded by this

    ArrivalSchedule(List<OpenInjectionStep> steps) {
        Iterator<FiniteDuration> chained = scala.collection.Iterator$.MODULE$.empty();
        // Gatling chains a profile's steps back to front, each shifting the ones after it by its own duration.
        for (int i = steps.size() - 1; i >= 0; i--) {
            chained = steps.get(i).asScala().chain(chained);
        }
        this.due = chained;
    }

    /** Offset from the injection's start at which the next arrival was due, in nanoseconds; -1 past the last one. */
    synchronized long nextDueNanos() {
        return due.hasNext() ? due.next().toNanos() : -1;
    }
}
