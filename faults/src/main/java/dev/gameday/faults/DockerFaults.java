package dev.gameday.faults;

import dev.gameday.environments.Capability;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.DockerDisruption;
import java.util.Optional;

/**
 * Process and resource faults on a target's container, through the Docker engine's API: the target needs
 * {@link Capability#CONTAINER}. Each is verified from Docker's own view (its container state, its {@code die} events,
 * the limits read back) and, where an answer tells, with a probe in the target's protocol.
 *
 * <pre>{@code
 * Target redis = environment.target("redis");            // with a restart policy and a memory limit
 * Fault killed  = DockerFaults.kill(redis);              // event: SIGKILL, Docker restarts it
 * Fault oom     = DockerFaults.oomKill(redis);           // event: the kernel's OOM killer ends its main process
 * Fault frozen  = DockerFaults.pause(redis);             // state: port open, no answers
 * Fault bounced = DockerFaults.restart(redis);           // event: docker restart
 * Fault slow    = DockerFaults.cpuThrottle(redis, 0.2);  // state: 0.2 CPUs
 * Fault tight   = DockerFaults.memoryPressure(redis, 128 * 1024 * 1024L); // state: 128 MB held in its cgroup
 * try (ActiveFault active = frozen.inject()) {
 *     // Redis accepts connections but answers nothing until the block ends
 * }
 * }</pre>
 *
 * <p><b>What the target needs</b>, checked when the fault is injected (only the engine knows it), with a message
 * saying what to change: {@link #kill} and {@link #oomKill} a restart policy ({@code on-failure}, {@code always},
 * {@code unless-stopped}; ContainerSystem's {@code restartOnFailure()}), since they are events it must come back from;
 * {@link #oomKill} also a memory limit and {@code sh} and {@code tail} in its image; {@link #memoryPressure} {@code sh},
 * {@code head}, {@code tail}, {@code sleep}, {@code cat}, {@code kill} and a
 * writable {@code /tmp}. {@link #pause} and {@link #restart} need a
 * target whose protocol the harness speaks (not {@link Protocol#TCP}): a connection alone does not show a frozen
 * process. The kill sends SIGKILL from a helper container in the host's process namespace, so that Docker sees a crash
 * (its own kill counts as a manual stop, which no restart policy undoes): it needs a local engine and
 * {@code gameday.local/alpine:3.17} ({@code scripts/build-images.sh}).
 */
public final class DockerFaults {

    private DockerFaults() {
    }

    /**
     * SIGKILL of the container's main process, as in a crash; the container's restart policy brings it back. An
     * event, verified by Docker's {@code die} event with exit code 137 and the container's new start time. Named
     * {@code <target>-kill}.
     */
    public static Fault kill(Target target) {
        return docker(DockerDisruption.Kind.KILL, target, target.name() + "-kill", 0, 0);
    }

    /**
     * A real kernel OOM kill of the container's main process: its memory limit is lowered to a little above its
     * usage, its main process made the OOM killer's first choice, and a side process takes memory until the kernel
     * kills the main one; the limit is restored before the injection returns. An event, verified by Docker's
     * {@code OOMKilled} and a {@code die} event with exit code 137. Named {@code <target>-oom-kill}.
     */
    public static Fault oomKill(Target target) {
        return docker(DockerDisruption.Kind.OOM_KILL, target, target.name() + "-oom-kill", 0, 0);
    }

    /**
     * {@code docker pause}: the container's processes are frozen; its port still accepts connections but nothing
     * answers until the fault is reverted ({@code docker unpause}). Named {@code <target>-pause}.
     */
    public static Fault pause(Target target) {
        String name = target.name() + "-pause";
        requireAnsweringProtocol(target, name);
        return docker(DockerDisruption.Kind.PAUSE, target, name, 0, 0);
    }

    /** {@code docker restart}: an event, verified by a new start time and an answer again. Named {@code <target>-restart}. */
    public static Fault restart(Target target) {
        String name = target.name() + "-restart";
        requireAnsweringProtocol(target, name);
        return docker(DockerDisruption.Kind.RESTART, target, name, 0, 0);
    }

    /**
     * The container may use only {@code cpus} CPUs until the fault is reverted, when its previous limits are set back.
     * Named {@code <target>-cpu-throttle}.
     *
     * @param cpus from 0.01, for example 0.2
     */
    public static Fault cpuThrottle(Target target, double cpus) {
        String name = target.name() + "-cpu-throttle";
        if (!(cpus >= 0.01 && cpus <= 1024)) {
            throw new IllegalArgumentException("Fault '" + name + "': expected a CPU limit from 0.01 (Docker's"
                    + " minimum), but found " + cpus + ". Use DockerFaults.cpuThrottle(target, 0.2).");
        }
        return docker(DockerDisruption.Kind.CPU_THROTTLE, target, name, cpus, 0);
    }

    /**
     * A side process inside the container holds {@code bytes} of memory, charged to the container's memory cgroup, so
     * that the target runs closer to its limit; the revert stops it. Verified by the container's usage rising by
     * about {@code bytes} while the holder lives, and restored once the holder's processes have exited (their memory
     * is then free, whatever the target itself has grown to meanwhile). Refused when the container would go over its
     * limit (that is {@link #oomKill}). Named {@code <target>-memory-pressure}.
     *
     * @param bytes at least 1 MB, for example {@code 128 * 1024 * 1024L}
     */
    public static Fault memoryPressure(Target target, long bytes) {
        String name = target.name() + "-memory-pressure";
        if (bytes < 1024 * 1024) {
            throw new IllegalArgumentException("Fault '" + name + "': expected at least 1 MB of memory to take, but"
                    + " found " + bytes + " bytes. Give bytes, for example 128 * 1024 * 1024L.");
        }
        return docker(DockerDisruption.Kind.MEMORY_PRESSURE, target, name, 0, bytes);
    }

    private static Fault docker(DockerDisruption.Kind kind, Target target, String name, double cpus, long bytes) {
        target.require(Capability.CONTAINER, "fault '" + name + "'");
        Optional<dev.gameday.environments.Endpoint> stable = target.link().map(NetworkLink::proxied);
        return Fault.of(name, new DockerDisruption(kind, target.name(), target.containerId().orElseThrow(),
                target.protocol(), target.endpoint(), stable, cpus, bytes)).meteredThrough(target);
    }

    private static void requireAnsweringProtocol(Target target, String name) {
        if (target.protocol() == Protocol.TCP) {
            throw new IllegalArgumentException("Fault '" + name + "' cannot be verified on target '" + target.name()
                    + "': it speaks plain TCP, so it is probed only by connecting, and a frozen or restarted process"
                    + " is not told apart that way. Give the target its real protocol (HTTP, REDIS or POSTGRES) in"
                    + " the environment.");
        }
    }
}
