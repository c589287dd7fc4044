package dev.gameday.environments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Something that happened to a target by itself during a run, as its runtime reports it: its container died, started
 * again, or ran out of memory. A fault that kills a container makes this happen on purpose; a target that dies under
 * load without one is a finding.
 *
 * @param at        when the runtime says it happened
 * @param target    the target's name, as in {@link Target#name()}
 * @param kind      what happened
 * @param exitCode  the main process's exit code, for {@link Kind#DIED}
 * @param oomKilled whether the kernel killed it for lack of memory
 * @param detail    anything else the runtime said, for people; may be empty
 *
 * <pre>{@code
 * try (AutoCloseable watch = environment.watch(event -> System.out.println(event.describe()))) {
 *     // target 'api' died (exit code 137, OOM-killed)
 * }
 * }</pre>
 *
 */
public record TargetEvent(Instant at, String target, Kind kind, OptionalInt exitCode, boolean oomKilled, String detail) {

    /** The kinds of event. */
    public enum Kind {
        /** The target's container stopped running: crashed, killed or OOM-killed. */
        DIED,
        /** The target's container started (again), for example after a crash under a restart policy. */
        STARTED,
        /**
         * The runtime reported that a process in the target's container was killed for lack of memory; the container
         * dies too if it was its main process ({@link #DIED} follows then).
         */
        OOM_KILLED
    }

    public TargetEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(exitCode, "exitCode");
        detail = detail == null ? "" : detail;
    }

    /** {@code exit code 137, OOM-killed}: the facts, for a report line; empty when there are none. */
    public String describe() {
        List<String> facts = new ArrayList<>();
        exitCode.ifPresent(code -> facts.add("exit code " + code));
        if (oomKilled) {
            facts.add("OOM-killed");
        }
        if (!detail.isEmpty()) {
            facts.add(detail);
        }
        return String.join(", ", facts);
    }
}
