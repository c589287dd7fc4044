package dev.gameday.faults.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.images.Images;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.Probe;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Process and resource faults on a target's container, through the Docker engine's API (docker-java): a SIGKILL or a
 * kernel OOM kill of its main process, a pause (freezer), a restart, a CPU limit, memory held inside its cgroup. What
 * Docker itself reports (its container state and its {@code die} events) is the evidence, with a probe in the target's
 * protocol where an answer tells.
 *
 * <p>Needs on the target: the kill and the OOM kill need a restart policy ({@code on-failure}, {@code always} or
 * {@code unless-stopped}), since they are events the target must come back from; the OOM kill also a memory limit
 * (Docker's API cannot set "no limit" back once a limit was set) and {@code sh} and {@code tail} in the image; memory
 * pressure {@code sh}, {@code head}, {@code tail}, {@code sleep}, {@code cat}, {@code kill} and a writable
 * {@code /tmp}. The kill runs a helper container ({@link Images#NETWORK_TOOLS}) in the host's process namespace, so
 * the engine must be local.
 *
 * <pre>{@code
 * Disruption pause = new DockerDisruption(DockerDisruption.Kind.PAUSE, "redis", containerId, Protocol.REDIS,
 *         redisEndpoint, Optional.empty(), 0, 0);   // DockerFaults.pause(target) builds this
 * AppliedState state = pause.prepare();
 * pause.apply(state);
 * DockerDisruption.revertRecorded(state);           // what the journal's cleanup does in another process
 * }</pre>
 */
public final class DockerDisruption implements Disruption {

    /** The backend name in {@link AppliedState}s and the fault journal. */
    public static final String BACKEND = "docker";
    /** How long a probe waits for the target's answer. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /** How long an OOM kill may take to happen once the limit is lowered and memory is being taken. */
    private static final Duration OOM_TIMEOUT = Duration.ofSeconds(30);
    /** How far above its current usage the OOM kill sets the container's limit (runc refuses a limit below usage). */
    private static final long OOM_HEADROOM = 32L * 1024 * 1024;
    private static final long MIN_MEMORY = 6L * 1024 * 1024;
    /** Memory pressure leaves at least this much below the limit, for the target's own allocations. */
    private static final long PRESSURE_MARGIN = 16L * 1024 * 1024;
    private static final long DEFAULT_CPU_PERIOD = 100_000;
    /** A CPU quota of -1 is the kernel's "no quota"; Docker's API treats 0 as "leave unchanged". */
    private static final long NO_QUOTA = -1;

    /** What is done to the container. */
    public enum Kind {
        KILL, OOM_KILL, PAUSE, RESTART, CPU_THROTTLE, MEMORY_PRESSURE
    }

    /** Where a memory-pressure injection keeps its holder's process group id, in the target's container. */
    private static final String PRESSURE_FILES = "/tmp/gameday-pressure-";
    /**
     * Shell, with the builtins alone (no ps in the image): sets {@code alive=1} if process group {@code $pg} has a
     * live process. A zombie does not count: the target's PID 1 may never reap it, but its memory is free.
     */
    private static final String GROUP_ALIVE = "alive=0; for s in /proc/[0-9]*/stat; do { read -r l < $s; } 2>/dev/null"
            + " || continue; set -- ${l##*\") \"}; [ \"$3\" = \"$pg\" ] && [ \"$1\" != Z ] && alive=1; done;";

    private final Kind kind;
    private final String targetName;
    private final String containerId;
    private final Protocol protocol;
    /** The target's own endpoint when the target was made; its host port may change when the container restarts. */
    private final Endpoint endpoint;
    /** An address that survives restarts (the target's proxy), if it has one. */
    private final Optional<Endpoint> stableEndpoint;
    private final double cpus;
    private final long bytes;

    public DockerDisruption(Kind kind, String targetName, String containerId, Protocol protocol, Endpoint endpoint,
                            Optional<Endpoint> stableEndpoint, double cpus, long bytes) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.containerId = Objects.requireNonNull(containerId, "containerId");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.stableEndpoint = Objects.requireNonNull(stableEndpoint, "stableEndpoint");
        this.cpus = cpus;
        this.bytes = bytes;
    }

    @Override
    public String describe() {
        String container = "'" + targetName + "' (container " + DockerEngine.shortId(containerId) + ")";
        return switch (kind) {
            case KILL -> "SIGKILL of the main process of " + container + "; its restart policy brings it back";
            case OOM_KILL -> "kernel OOM kill of the main process of " + container + " under a lowered memory limit;"
                    + " its restart policy brings it back";
            case PAUSE -> "docker pause of " + container + ": its processes are frozen, its port still accepts"
                    + " connections";
            case RESTART -> "docker restart of " + container;
            case CPU_THROTTLE -> "CPU of " + container + " limited to " + String.format(Locale.ROOT, "%.2f", cpus)
                    + " CPUs";
            case MEMORY_PRESSURE -> (bytes / (1024 * 1024)) + " MB held by a side process inside " + container
                    + "'s memory cgroup";
        };
    }

    /** A kill, an OOM kill and a restart are events the target comes back from; the others are states to revert. */
    @Override
    public Disruption.Kind kind() {
        return kind == Kind.KILL || kind == Kind.OOM_KILL || kind == Kind.RESTART
                ? Disruption.Kind.EVENT : Disruption.Kind.STATE;
    }

    @Override
    public AppliedState prepare() throws IOException {
        InspectContainerResponse container = inspectOrExplain();
        requireRunning(container);
        AppliedState state = AppliedState.of(BACKEND).with("container", containerId).with("target", targetName)
                .with("kind", kind.name())
                .with("started-at", container.getState().getStartedAt())
                .with("restart-count", String.valueOf(restartCount(container)))
                .with("since", Instant.now().toString());
        Optional<Integer> containerPort = DockerEngine.containerPortOf(container, endpoint.port());
        if (containerPort.isPresent()) {
            state = state.with("container-port", String.valueOf(containerPort.get()));
        }
        HostConfig host = container.getHostConfig();
        return switch (kind) {
            case KILL -> {
                requireRestartPolicy(container);
                yield state.with("action", "none").with("helper", "gameday-kill-" + shortUuid());
            }
            case RESTART -> state.with("action", "none");
            case OOM_KILL -> {
                requireRestartPolicy(container);
                long memory = orZero(host.getMemory());
                if (memory <= 0) {
                    throw new IllegalStateException("An OOM kill of '" + targetName + "' needs a memory limit on its"
                            + " container, but it has none: Docker's API cannot set 'no limit' back once the fault"
                            + " lowered it. Give the service a limit (ContainerSystem: .memory(256 * ContainerSystem.MB),"
                            + " compose: mem_limit).");
                }
                requireTools(List.of("sh", "tail", "cat"), "an OOM kill");
                String adj = DockerEngine.exec(containerId, Duration.ofSeconds(10), "sh", "-c",
                        "cat /proc/1/oom_score_adj").stdout().strip();
                yield state.with("action", "restore-memory")
                        .with("previous-memory", String.valueOf(memory))
                        .with("previous-memory-swap", String.valueOf(orZero(host.getMemorySwap())))
                        .with("pid", String.valueOf(container.getState().getPidLong()))
                        .with("previous-oom-score-adj", adj.isEmpty() ? "0" : adj);
            }
            case PAUSE -> state.with("action", "unpause");
            case CPU_THROTTLE -> state.with("action", "restore-cpu")
                    .with("previous-nano-cpus", String.valueOf(orZero(host.getNanoCPUs())))
                    .with("previous-cpu-quota", String.valueOf(orZero(host.getCpuQuota())))
                    .with("previous-cpu-period", String.valueOf(orZero(host.getCpuPeriod())));
            case MEMORY_PRESSURE -> {
                requireTools(List.of("sh", "head", "tail", "sleep", "cat", "kill"), "memory pressure");
                long usage = DockerEngine.memoryUsage(containerId);
                long limit = orZero(host.getMemory());
                if (limit > 0 && usage + bytes + PRESSURE_MARGIN > limit) {
                    throw new IllegalStateException("Memory pressure of " + mb(bytes) + " on '" + targetName
                            + "' would take its container to " + mb(usage + bytes) + " while its limit is " + mb(limit)
                            + " (it uses " + mb(usage) + " now), within " + mb(PRESSURE_MARGIN) + " of it: the kernel would"
                            + " OOM-kill a process instead. Take at most " + mb(limit - usage - PRESSURE_MARGIN)
                            + ", or use DockerFaults.oomKill for a kill.");
                }
                yield state.with("action", "stop-pressure")
                        .with("usage-before", String.valueOf(usage))
                        .with("bytes", String.valueOf(bytes))
                        .with("pid-file", PRESSURE_FILES + shortUuid() + ".pid");
            }
        };
    }

    @Override
    public void apply(AppliedState injection) throws Exception {
        DockerClient docker = DockerEngine.client();
        switch (kind) {
            case KILL -> killMainProcess(injection);
            case OOM_KILL -> oomKill(injection);
            case PAUSE -> docker.pauseContainerCmd(containerId).exec();
            case RESTART -> docker.restartContainerCmd(containerId).withTimeout(10).exec();
            case CPU_THROTTLE -> throttle(injection);
            case MEMORY_PRESSURE -> {
                // tail keeps the last N bytes of a stream that never ends (sleep holds the pipe open): N bytes held,
                // once. The exec's shell leads its own process group, whose id the revert finds in the pid file.
                DockerEngine.execDetached(containerId, "sh", "-c", "echo $$ > " + injection.value("pid-file")
                        + "; (head -c " + bytes + " /dev/zero; exec sleep 2147483647) | tail -c " + bytes);
            }
        }
    }

    @Override
    public void revert(AppliedState injection) throws Exception {
        revertRecorded(injection);
    }

    /**
     * Reverts an injection from its recorded state alone (the fault journal's cleanup, in another process): restores
     * the memory limit an OOM kill lowered, unpauses, restores the CPU limits, stops the memory-holding process. A
     * container that no longer exists went away with its environment, and nothing is left.
     */
    public static String revertRecorded(AppliedState state) throws Exception {
        String id = state.value("container");
        String container = "container " + DockerEngine.shortId(id);
        DockerClient docker = DockerEngine.client();
        InspectContainerResponse inspected;
        try {
            inspected = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
            removeHelper(state);
            return container + " no longer exists: it went away with its environment, so nothing is left applied";
        }
        return switch (state.value("action")) {
            case "none" -> {
                removeHelper(state);
                yield "nothing to revert on " + container + ": " + state.value("kind").toLowerCase(Locale.ROOT)
                        + " is an event";
            }
            case "restore-memory" -> {
                long memory = Long.parseLong(state.value("previous-memory"));
                long swap = Long.parseLong(state.value("previous-memory-swap"));
                restoreMemory(id, memory, swap);
                Long pid = inspected.getState().getPidLong();
                if (Boolean.TRUE.equals(inspected.getState().getRunning()) && pid != null
                        && String.valueOf(pid).equals(state.value("pid"))) {
                    // the main process survived: give it back its OOM score adjustment
                    DockerEngine.exec(id, Duration.ofSeconds(10), "sh", "-c", "echo "
                            + Integer.parseInt(state.value("previous-oom-score-adj")) + " > /proc/1/oom_score_adj");
                }
                yield "memory limit of " + container + " restored to " + memory + " bytes (swap " + swap + ")";
            }
            case "unpause" -> {
                if (Boolean.TRUE.equals(inspected.getState().getPaused())) {
                    docker.unpauseContainerCmd(id).exec();
                    yield container + " unpaused";
                }
                yield container + " was not paused";
            }
            case "restore-cpu" -> {
                CpuLimits previous = CpuLimits.previous(state);
                var update = docker.updateContainerCmd(id);
                if (previous.nanoCpus() > 0) {
                    update.withNanoCPUs(previous.nanoCpus());
                } else if (previous.quota() > 0) {
                    update.withCpuQuota(previous.quota()).withCpuPeriod(previous.period());
                } else {
                    update.withCpuQuota(NO_QUOTA);
                }
                update.exec();
                yield "CPU limits of " + container + " restored to " + previous;
            }
            case "stop-pressure" -> {
                String pidFile = state.value("pid-file");
                if (!Boolean.TRUE.equals(inspected.getState().getRunning())) {
                    yield container + " is not running, so no process holds memory in it";
                }
                // the group's id moves to <pid-file>.stopped, where observing the revert finds it to check that the
                // group is gone (its memory is the kernel's again once its processes have exited); markers of earlier
                // injections whose groups are gone (reverted by a cleanup, which does not observe) are removed here
                DockerEngine.Exec stop = DockerEngine.exec(id, Duration.ofSeconds(10), "sh", "-c",
                        "if [ -f " + pidFile + " ]; then pg=$(cat " + pidFile + "); kill -TERM -$pg 2>/dev/null"
                                + " || kill -TERM $pg 2>/dev/null; echo $pg > " + pidFile + ".stopped;"
                                + " rm -f " + pidFile + "; r=stopped; else r=absent; fi;"
                                + " for m in " + PRESSURE_FILES + "*.pid.stopped; do [ -f \"$m\" ] && [ \"$m\" != "
                                + pidFile + ".stopped ] || continue; pg=$(cat \"$m\"); " + GROUP_ALIVE
                                + " [ $alive = 1 ] || rm -f \"$m\"; done; echo $r");
                yield stop.stdout().strip().equals("stopped")
                        ? "memory-holding process in " + container + " stopped (" + pidFile + ")"
                        : "no memory-holding process in " + container + " (" + pidFile + " absent: never started or"
                        + " already stopped)";
            }
            default -> throw new IllegalStateException("unknown Docker action '" + state.value("action") + "' in "
                    + state);
        };
    }

    @Override
    public Observation observe(AppliedState injection) throws Exception {
        InspectContainerResponse container;
        try {
            container = DockerEngine.inspect(containerId);
        } catch (NotFoundException e) {
            return Observation.inconclusive("container " + DockerEngine.shortId(containerId) + " no longer exists");
        }
        ContainerState state = container.getState();
        boolean running = Boolean.TRUE.equals(state.getRunning());
        boolean paused = Boolean.TRUE.equals(state.getPaused());
        boolean restarted = !Objects.equals(state.getStartedAt(), injection.value("started-at"));
        int restartsBefore = Integer.parseInt(injection.value("restart-count"));
        String docker = "Docker: " + (paused ? "paused" : state.getStatus()) + ", started at " + state.getStartedAt()
                + ", restart count " + restartCount(container) + " (was " + restartsBefore + ")";
        Optional<Endpoint> where = probeEndpoint(container, injection);
        Optional<Duration> answer = running && !paused && where.isPresent()
                ? probe(where.get()).roundTrip(PROBE_TIMEOUT) : Optional.empty();
        String answered = where.map(e -> probe(e).describe()).orElse("no probe (its port is not published now)")
                + (answer.isPresent() ? " answered in " + String.format(Locale.ROOT, "%.1f ms",
                answer.get().toNanos() / 1e6) : " got no answer");
        boolean healthy = running && !paused && !restarted && answer.isPresent();
        return switch (kind) {
            case KILL, OOM_KILL -> {
                List<Integer> deaths = DockerEngine.deathsSince(containerId, Instant.parse(injection.value("since")));
                boolean oom = Boolean.TRUE.equals(state.getOOMKilled());
                String evidence = docker + "; die events since the injection began: exit codes " + deaths
                        + (kind == Kind.OOM_KILL ? "; OOMKilled=" + oom : "");
                boolean died = deaths.contains(137) && (restarted || !running);
                if (died && (kind == Kind.KILL || oom)) {
                    yield Observation.inEffect(evidence);
                }
                yield healthy && deaths.isEmpty() ? Observation.notInEffect(evidence + "; " + answered)
                        : Observation.inconclusive(evidence + "; " + answered);
            }
            case RESTART -> {
                if (restarted && running && answer.isPresent()) {
                    yield Observation.inEffect(docker + "; " + answered);
                }
                yield healthy ? Observation.notInEffect(docker + "; " + answered)
                        : Observation.inconclusive(docker + "; " + answered);
            }
            case PAUSE -> {
                if (paused) {
                    Optional<Duration> connect = where.flatMap(e -> Probes.forProtocol(Protocol.TCP, e)
                            .roundTrip(PROBE_TIMEOUT));
                    Optional<Duration> silent = where.flatMap(e -> probe(e).roundTrip(PROBE_TIMEOUT));
                    String evidence = docker + "; TCP connect " + (connect.isPresent() ? "succeeded" : "failed")
                            + "; " + where.map(e -> probe(e).describe()).orElse("no probe")
                            + (silent.isPresent() ? " answered" : " got no answer within " + PROBE_TIMEOUT.toMillis()
                            + " ms");
                    yield connect.isPresent() && silent.isEmpty() ? Observation.inEffect(evidence)
                            : Observation.inconclusive(evidence);
                }
                yield running && answer.isPresent() ? Observation.notInEffect(docker + "; " + answered)
                        : Observation.inconclusive(docker + "; " + answered);
            }
            case CPU_THROTTLE -> {
                CpuLimits now = CpuLimits.of(container.getHostConfig());
                CpuLimits previous = CpuLimits.previous(injection);
                String evidence = docker + "; CPU limits read back: " + now + " (before the fault: " + previous
                        + ", effective " + format(now.effectiveCpus()) + " CPUs)";
                if (now.effectiveCpus() == throttledCpus(previous)) {
                    yield Observation.inEffect(evidence);
                }
                yield now.sameEffectAs(previous) ? Observation.notInEffect(evidence)
                        : Observation.inconclusive(evidence);
            }
            case MEMORY_PRESSURE -> {
                long before = Long.parseLong(injection.value("usage-before"));
                String pidFile = injection.value("pid-file");
                if (!running) {
                    yield Observation.inconclusive(docker);
                }
                // whether the holder's process group still has a live process, by the id in the pid file (or where
                // the revert moved it)
                DockerEngine.Exec holder = DockerEngine.exec(containerId, Duration.ofSeconds(10), "sh", "-c",
                        "f=" + pidFile + "; [ -f $f ] || f=" + pidFile + ".stopped; alive=0; if [ -f $f ]; then"
                                + " pg=$(cat $f); " + GROUP_ALIVE + " fi;"
                                + " if [ $alive = 1 ]; then echo holding; else rm -f " + pidFile + ".stopped;"
                                + " echo gone; fi");
                boolean holding = holder.stdout().strip().equals("holding");
                long usage = DockerEngine.memoryUsage(containerId);
                String evidence = "container memory usage " + mb(usage) + " (before the fault " + mb(before)
                        + ", pressure " + mb(bytes) + "); memory-holding process " + (holding ? "present" : "absent");
                if (holding && usage >= before + (long) (bytes * 0.8)) {
                    yield Observation.inEffect(evidence);
                }
                // once the holder has exited its memory is free, whatever the service itself has grown to meanwhile
                yield !holding && holder.succeeded() ? Observation.notInEffect(evidence + "; " + answered)
                        : Observation.inconclusive(evidence);
            }
        };
    }

    /** One probe, plus the engine calls around it. */
    @Override
    public Duration observationTime() {
        return kind == Kind.PAUSE ? PROBE_TIMEOUT.multipliedBy(2).plusMillis(500) : PROBE_TIMEOUT.plusMillis(500);
    }

    private void killMainProcess(AppliedState injection) throws IOException, InterruptedException {
        InspectContainerResponse container = DockerEngine.inspect(containerId);
        requireRunning(container);
        long pid = container.getState().getPidLong();
        // SIGKILL from the host's process namespace, like the kernel's or a crash: Docker's own kill would count as
        // a manual stop, and its restart policy would not bring the container back.
        DockerClient docker = DockerEngine.client();
        String helper = injection.value("helper");
        CreateContainerResponse created;
        try {
            created = docker.createContainerCmd(Images.NETWORK_TOOLS.asCanonicalNameString()).withName(helper)
                    .withLabels(Map.of("dev.gameday.fault-helper", "kill"))
                    // only if that pid is still in the container's cgroup: never a recycled pid of another process
                    .withCmd("sh", "-c", "grep -q " + containerId + " /proc/" + pid + "/cgroup || exit 3; kill -KILL "
                            + pid)
                    .withHostConfig(HostConfig.newHostConfig().withPidMode("host").withNetworkMode("none"))
                    .exec();
        } catch (NotFoundException e) {
            throw new IOException("expected the helper image " + Images.NETWORK_TOOLS.asCanonicalNameString()
                    + " in the local Docker engine to send the SIGKILL, found none; build it with"
                    + " scripts/build-images.sh", e);
        }
        try {
            docker.startContainerCmd(created.getId()).exec();
            Integer exit = docker.waitContainerCmd(created.getId()).start().awaitStatusCode(30,
                    java.util.concurrent.TimeUnit.SECONDS);
            if (exit == null || exit != 0) {
                String logs = helperLogs(created.getId());
                if (exit != null && exit == 3) {
                    throw new IOException("expected pid " + pid + " in the host's process namespace to be the main"
                            + " process of container " + DockerEngine.shortId(containerId) + ", but it is not (the"
                            + " container restarted meanwhile, or the engine is not on this host); nothing was killed."
                            + " Inject the fault again once the target runs steadily");
                }
                throw new IOException("expected the helper to send SIGKILL to pid " + pid + " (main process of "
                        + DockerEngine.shortId(containerId) + "), but it ended with exit code " + exit + ": " + logs
                        + ". The kill needs a local Docker engine whose containers may join the host's process"
                        + " namespace (--pid host)");
            }
        } finally {
            removeHelper(injection);
        }
    }

    private void oomKill(AppliedState injection) throws IOException, InterruptedException {
        long previousMemory = Long.parseLong(injection.value("previous-memory"));
        long previousSwap = Long.parseLong(injection.value("previous-memory-swap"));
        try {
            // The main process becomes the kernel's first choice, so that the OOM killer ends it and not the side
            // process that takes the memory (raising one's score needs no privilege; lowering it again does not
            // either, down to Docker's default 0).
            DockerEngine.Exec score = DockerEngine.exec(containerId, Duration.ofSeconds(10), "sh", "-c",
                    "echo 1000 > /proc/1/oom_score_adj");
            if (!score.succeeded()) {
                throw new IOException("expected to raise the OOM score of the main process of '" + targetName
                        + "' (/proc/1/oom_score_adj), but it failed: " + score.output());
            }
            long usage = DockerEngine.memoryUsage(containerId);
            long limit = Math.max(MIN_MEMORY, usage + OOM_HEADROOM);
            if (limit < previousMemory) {
                // runc refuses a limit below the current usage; a little above it, the side process fills the rest
                DockerEngine.client().updateContainerCmd(containerId).withMemory(limit).withMemorySwap(limit).exec();
            }
            DockerEngine.execDetached(containerId, "sh", "-c", "exec tail /dev/zero");
            long deadline = System.nanoTime() + OOM_TIMEOUT.toNanos();
            while (!diedSince(injection)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("expected the kernel to OOM-kill the main process of '" + targetName
                            + "' within " + OOM_TIMEOUT.toSeconds() + " s of a memory limit of " + mb(limit)
                            + " (usage was " + mb(usage) + "), but it still runs. Its image needs 'tail' that"
                            + " reads /dev/zero into memory");
                }
                DockerEngine.pause(Duration.ofMillis(50));
            }
        } finally {
            restoreMemory(containerId, previousMemory, previousSwap);
        }
    }

    private boolean diedSince(AppliedState injection) {
        InspectContainerResponse container = DockerEngine.inspect(containerId);
        return !Boolean.TRUE.equals(container.getState().getRunning())
                || !Objects.equals(container.getState().getStartedAt(), injection.value("started-at"))
                || restartCount(container) > Integer.parseInt(injection.value("restart-count"));
    }

    /** Sets the memory limits back; retried, since the engine may be restarting the container at that moment. */
    private static void restoreMemory(String id, long memory, long swap) throws InterruptedException {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HostConfig now = DockerEngine.inspect(id).getHostConfig();
                if (orZero(now.getMemory()) == memory && orZero(now.getMemorySwap()) == swap) {
                    return;
                }
                var update = DockerEngine.client().updateContainerCmd(id).withMemory(memory);
                if (swap != 0) {
                    update.withMemorySwap(swap);
                }
                update.exec();
                return;
            } catch (NotFoundException e) {
                return;
            } catch (RuntimeException e) {
                last = e;
                DockerEngine.pause(Duration.ofMillis(250));
            }
        }
        throw new IllegalStateException("expected to restore the memory limit of container " + DockerEngine.shortId(id)
                + " to " + memory + " bytes (swap " + swap + "), but Docker refused: " + last.getMessage()
                + ". Set it by hand: docker update --memory " + memory + " --memory-swap " + swap + " " + id, last);
    }

    private void throttle(AppliedState injection) {
        CpuLimits previous = CpuLimits.previous(injection);
        var update = DockerEngine.client().updateContainerCmd(containerId);
        if (previous.nanoCpus() > 0) {
            update.withNanoCPUs(Math.round(cpus * 1e9));
        } else {
            long period = previous.quota() > 0 && previous.period() > 0 ? previous.period() : DEFAULT_CPU_PERIOD;
            update.withCpuQuota(Math.round(cpus * period)).withCpuPeriod(period);
        }
        update.exec();
    }

    /** The CPUs a container limited to {@link #cpus} has, whichever way its limit is written. */
    private double throttledCpus(CpuLimits previous) {
        if (previous.nanoCpus() > 0) {
            return Math.round(cpus * 1e9) / 1e9;
        }
        long period = previous.quota() > 0 && previous.period() > 0 ? previous.period() : DEFAULT_CPU_PERIOD;
        return (double) Math.round(cpus * period) / period;
    }

    /**
     * A container's CPU limits as Docker reports them: {@code NanoCpus}, or {@code CpuQuota} per {@code CpuPeriod}.
     * A quota of 0 (never set) and -1 (the kernel's "no quota", what a revert writes, since Docker's API reads 0 as
     * "leave unchanged") both mean no limit.
     */
    record CpuLimits(long nanoCpus, long quota, long period) {

        static CpuLimits of(HostConfig host) {
            return new CpuLimits(orZero(host.getNanoCPUs()), orZero(host.getCpuQuota()), orZero(host.getCpuPeriod()));
        }

        static CpuLimits previous(AppliedState state) {
            return new CpuLimits(Long.parseLong(state.value("previous-nano-cpus")),
                    Long.parseLong(state.value("previous-cpu-quota")),
                    Long.parseLong(state.value("previous-cpu-period")));
        }

        /** The CPUs it may use; infinite without a limit. */
        double effectiveCpus() {
            if (nanoCpus > 0) {
                return nanoCpus / 1e9;
            }
            if (quota > 0) {
                return (double) quota / (period > 0 ? period : DEFAULT_CPU_PERIOD);
            }
            return Double.POSITIVE_INFINITY;
        }

        /** The same limit: equal values, or both without a quota. */
        boolean sameEffectAs(CpuLimits other) {
            return equals(other) || (nanoCpus == 0 && other.nanoCpus == 0 && quota <= 0 && other.quota <= 0);
        }

        @Override
        public String toString() {
            return "NanoCpus=" + nanoCpus + ", CpuQuota=" + quota + ", CpuPeriod=" + period;
        }
    }

    private Optional<Endpoint> probeEndpoint(InspectContainerResponse container, AppliedState injection) {
        if (stableEndpoint.isPresent()) {
            return stableEndpoint;
        }
        if (!injection.values().containsKey("container-port")) {
            return Optional.of(endpoint);
        }
        return DockerEngine.currentEndpoint(container, endpoint.host(),
                Integer.parseInt(injection.value("container-port")));
    }

    private Probe probe(Endpoint where) {
        return Probes.forProtocol(protocol, where);
    }

    private InspectContainerResponse inspectOrExplain() throws IOException {
        try {
            return DockerEngine.inspect(containerId);
        } catch (NotFoundException e) {
            throw new IOException("expected target '" + targetName + "' in container " + DockerEngine.shortId(containerId)
                    + ", but the Docker engine has no such container; start the environment again", e);
        }
    }

    private void requireRunning(InspectContainerResponse container) {
        ContainerState state = container.getState();
        if (!Boolean.TRUE.equals(state.getRunning()) || Boolean.TRUE.equals(state.getPaused())) {
            throw new IllegalStateException("Expected the container of '" + targetName + "' ("
                    + DockerEngine.shortId(containerId) + ") running, but found it " + (Boolean.TRUE.equals(
                    state.getPaused()) ? "paused" : state.getStatus() + " (exit code " + state.getExitCodeLong() + ")")
                    + ". Check the environment's health (checkHealthy) and revert any fault still applied to it.");
        }
    }

    /**
     * A kill is an event the target must come back from: without a restart policy (or with its retries used up) the
     * container would stay dead for the rest of the run, and every later fault and check on it would fail for that
     * reason instead of their own. Refused here, at inject time, since only the engine knows the policy.
     */
    private void requireRestartPolicy(InspectContainerResponse container) {
        RestartPolicy policy = container.getHostConfig().getRestartPolicy();
        String name = policy == null || policy.getName() == null || policy.getName().isBlank() ? "no"
                : policy.getName();
        int restarts = restartCount(container);
        boolean restarts1 = switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> policy.getMaximumRetryCount() == null || policy.getMaximumRetryCount() == 0
                    || restarts < policy.getMaximumRetryCount();
            default -> false;
        };
        if (!restarts1) {
            throw new IllegalStateException("Expected the container of '" + targetName + "' to have a restart policy"
                    + " that brings it back after the " + (kind == Kind.KILL ? "kill" : "OOM kill") + ", but found"
                    + " '" + name + (name.equals("on-failure") ? ":" + policy.getMaximumRetryCount() + "' with "
                    + restarts + " restarts used" : "'") + ": it would stay dead for the rest of the run. Give the"
                    + " service a restart policy (ContainerSystem: .restartOnFailure(), compose: restart: on-failure)");
        }
    }

    private void requireTools(List<String> tools, String what) throws IOException {
        StringBuilder check = new StringBuilder();
        for (String tool : tools) {
            check.append("command -v ").append(tool).append(" >/dev/null || echo ").append(tool).append("; ");
        }
        if (kind == Kind.MEMORY_PRESSURE) {
            check.append("[ -w /tmp ] || echo 'a writable /tmp'; ");
        }
        DockerEngine.Exec found;
        try {
            found = DockerEngine.exec(containerId, Duration.ofSeconds(10), "sh", "-c", check.toString());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Expected 'sh' in the image of '" + targetName + "' for " + what
                    + ", found none (" + e.getMessage() + "). Use an image with a shell and " + tools
                    + ", or choose another fault (pause, restart, cpuThrottle need no tool in the image)", e);
        }
        String missing = found.stdout().strip();
        if (!found.succeeded() || !missing.isEmpty()) {
            throw new IllegalStateException("Expected " + tools + " in the image of '" + targetName + "' for " + what
                    + ", but " + (missing.isEmpty() ? "'sh' failed: " + found.output() : "missing: " + missing)
                    + ". Use an image that has them (Debian- or Alpine-based images do), or choose another fault"
                    + " (pause, restart, cpuThrottle need no tool in the image)");
        }
    }

    private static void removeHelper(AppliedState state) {
        String helper = state.values().get("helper");
        if (helper == null) {
            return;
        }
        try {
            DockerEngine.client().removeContainerCmd(helper).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
    }

    private static String helperLogs(String id) {
        StringBuilder logs = new StringBuilder();
        try {
            DockerEngine.client().logContainerCmd(id).withStdOut(true).withStdErr(true)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            logs.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (RuntimeException | InterruptedException e) {
            return "(no logs: " + e + ")";
        }
        return logs.toString().strip();
    }

    private static int restartCount(InspectContainerResponse container) {
        return container.getRestartCount() == null ? 0 : container.getRestartCount();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    private static String format(double value) {
        return Double.isInfinite(value) ? "unlimited" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String shortUuid() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
