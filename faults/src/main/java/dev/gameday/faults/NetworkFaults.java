package dev.gameday.faults;

import dev.gameday.environments.Capability;
import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.Conversation;
import dev.gameday.faults.internal.NetworkChecks;
import dev.gameday.faults.internal.Probes;
import dev.gameday.faults.internal.ToxiproxyDisruption;
import dev.gameday.faults.internal.ToxiproxyDisruption.ToxicSpec;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Network faults between the system under test and one of its dependencies, applied through the Toxiproxy proxy
 * the environment put in front of it. Each is verified with a real request in the target's protocol through the proxy
 * (a Redis PING, a PostgreSQL SSL request, an HTTP GET), both when it takes effect and when it is reverted. Faults
 * whose effect a bare connection does not show need a target whose protocol the harness speaks (not
 * {@link Protocol#TCP}); those that need a large answer or the server's close (bandwidth, slicer, limit on data, slow
 * close) need Redis or HTTP.
 *
 * <pre>{@code
 * Fault hung      = NetworkFaults.timeout(environment.target("redis"));
 * Fault slow      = NetworkFaults.latency(environment.target("exchange"), Duration.ofMillis(800),
 *                                         Duration.ofMillis(100));                   // 700..900 ms
 * Fault thin      = NetworkFaults.bandwidth(environment.target("redis"), 50_000);          // 50 kB/s of answers
 * Fault cut       = NetworkFaults.partition(environment.target("postgres"));              // nothing passes either way
 * Fault lostAcks  = NetworkFaults.partition(environment.target("redis"), NetworkFaults.Direction.DOWNSTREAM);
 * Fault down      = NetworkFaults.proxyDown(environment.target("postgres"));              // connections refused
 * }</pre>
 *
 * <p><b>Renamed:</b> until this version {@code partition(target)} disabled the proxy, so that connections were refused.
 * That is now {@link #proxyDown(Target)}; {@link #partition(Target)} keeps connections open and lets no data through,
 * as a real network partition does.
 *
 * <p><b>Traffic meter</b> ({@link Fault#trafficMeter()}): it counts what the system sends into the proxy, before any
 * toxic acts on it, so under every toxic here (a partition and a timeout included, whose toxic drops what it is handed
 * after it was counted) the system's requests are still counted during the fault and
 * {@link TrafficMeter#countsDuringFault()} is true. Only {@link #proxyDown(Target)} refuses connections, so nothing
 * can be counted during it and the meter says so.
 */
public final class NetworkFaults {

    /** The highest bandwidth limit a probe can tell apart from an unlimited loopback link. */
    public static final long MAX_BANDWIDTH_BYTES_PER_SECOND = 10_000_000;
    /** The largest limit on data a probe's answer is made to exceed. */
    public static final long MAX_LIMIT_DATA_BYTES = 4_000_000;
    /** The largest slice the slicer probe is sized for. */
    public static final int MAX_SLICE_BYTES = 16_384;
    private static final int MAX_PROBE_ANSWER_BYTES = 4_000_000;
    private static final Duration SHORTEST_DELAY_DIFFERENCE = Duration.ofMillis(10);

    /** Which way a one-way partition cuts the link. */
    public enum Direction {
        /** Requests from the system never reach the dependency; the dependency never sees them. */
        UPSTREAM,
        /**
         * Requests reach the dependency and are executed, but its answers never come back: a write applied whose
         * acknowledgement is lost.
         */
        DOWNSTREAM,
        /** Both ways: the same as {@link #partition(Target)}. */
        BOTH
    }

    private NetworkFaults() {
    }

    /**
     * The dependency stops answering: connections are accepted, but what the system sends is dropped until the fault
     * is reverted (a hung or frozen server). The same toxic as {@code partition(target, Direction.UPSTREAM)}, under
     * the name a hung dependency goes by. Named {@code <target>-timeout}.
     */
    public static Fault timeout(Target target) {
        String name = target.name() + "-timeout";
        NetworkLink link = requireAnswering(target, name, "a timeout toxic");
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy timeout toxic on '" + target.name() + "': connections accepted, no data passes",
                List.of(ToxicSpec.timeout(ToxicDirection.UPSTREAM)), silence(target, link), true));
    }

    /** Every answer from the dependency is delayed by {@code latency}. Named {@code <target>-latency}. */
    public static Fault latency(Target target, Duration latency) {
        return latency(target, latency, Duration.ZERO);
    }

    /**
     * Every answer from the dependency is delayed by {@code latency} plus or minus up to {@code jitter} (uniformly,
     * per chunk of data). {@code latency - jitter} must be at least 10 ms, so that the smallest delay can be told from
     * a busy machine's round trip. Named {@code <target>-latency}.
     *
     * <pre>{@code
     * Fault wobbly = NetworkFaults.latency(redis, Duration.ofMillis(300), Duration.ofMillis(100));   // 200..400 ms
     * }</pre>
     */
    public static Fault latency(Target target, Duration latency, Duration jitter) {
        String name = target.name() + "-latency";
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(jitter, "jitter");
        NetworkLink link = requireAnswering(target, name, "a latency toxic");
        requirePositive(name, "latency", latency, "NetworkFaults.latency(target, Duration.ofMillis(100))");
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("Fault '" + name + "': jitter must be >= 0, but was " + jitter
                    + ". Use Duration.ZERO for a steady latency.");
        }
        if (latency.minus(jitter).compareTo(SHORTEST_DELAY_DIFFERENCE) < 0) {
            throw new IllegalArgumentException("Fault '" + name + "': latency minus jitter must be at least "
                    + SHORTEST_DELAY_DIFFERENCE.toMillis() + " ms, so that the smallest added delay can be told from"
                    + " a normal round trip, but latency was " + latency.toMillis() + " ms and jitter "
                    + jitter.toMillis() + " ms. Use a larger latency or a smaller jitter.");
        }
        String what = jitter.isZero() ? latency.toMillis() + " ms"
                : latency.toMillis() + " ms ± " + jitter.toMillis() + " ms";
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy latency toxic on '" + target.name() + "': answers delayed by " + what,
                List.of(ToxicSpec.latency(latency.toMillis(), jitter.toMillis())),
                NetworkChecks.slowed(Probes.forProtocol(target.protocol(), link.proxied()), latency.minus(jitter),
                        latency.plus(jitter)), true));
    }

    /**
     * Answers from the dependency flow at most {@code bytesPerSecond}. Toxiproxy limits in whole kilobytes per second
     * (1 kB = 1000 bytes), so the rate must be a multiple of 1000, from 1000 to
     * {@value #MAX_BANDWIDTH_BYTES_PER_SECOND}.
     * Verified with an answer sized to take about half a second at the rate (a Redis PING echoing that many bytes) or,
     * for HTTP, the answer to {@code GET /}, which must then be big enough to take 100 ms at the rate. Named
     * {@code <target>-bandwidth}.
     */
    public static Fault bandwidth(Target target, long bytesPerSecond) {
        String name = target.name() + "-bandwidth";
        NetworkLink link = requireBigAnswers(target, name, "a bandwidth toxic");
        if (bytesPerSecond < 1_000 || bytesPerSecond > MAX_BANDWIDTH_BYTES_PER_SECOND || bytesPerSecond % 1_000 != 0) {
            throw new IllegalArgumentException("Fault '" + name + "': bytesPerSecond must be a multiple of 1000 from"
                    + " 1000 to " + MAX_BANDWIDTH_BYTES_PER_SECOND + " (Toxiproxy limits in whole kB/s, and a faster"
                    + " limit cannot be told from an unlimited loopback link), but was " + bytesPerSecond
                    + ". Use for example NetworkFaults.bandwidth(target, 50_000) for 50 kB/s.");
        }
        int answerBytes = (int) Math.min(MAX_PROBE_ANSWER_BYTES, bytesPerSecond / 2);
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy bandwidth toxic on '" + target.name() + "': answers limited to " + bytesPerSecond
                        + " bytes/s", List.of(ToxicSpec.bandwidth(bytesPerSecond / 1_000)),
                NetworkChecks.atMostRate(Conversation.bigAnswer(target.protocol(), link.proxied(), answerBytes)
                        .orElseThrow(), bytesPerSecond), true));
    }

    /**
     * Every connection is reset as soon as the system sends data on it: requests never reach the dependency and the
     * client sees "connection reset" (or, through Docker's port forwarding, the connection closed without an answer).
     * Named {@code <target>-reset-peer}.
     */
    public static Fault resetPeer(Target target) {
        String name = target.name() + "-reset-peer";
        NetworkLink link = requireAnswering(target, name, "a reset_peer toxic");
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy reset_peer toxic on '" + target.name() + "': connections reset when data is sent",
                List.of(ToxicSpec.resetPeer()),
                NetworkChecks.endedWithoutAnswer(Conversation.question(target.protocol(), link.proxied())), true));
    }

    /**
     * When the dependency closes a connection, the close reaches the system {@code delay} late: answers arrive, but a
     * client waiting for the end of the stream (HTTP without a length, a connection pool's health check) hangs. At
     * least 200 ms, so that half of it can be measured. Verified with a Redis {@code QUIT} or an HTTP
     * {@code Connection: close} exchange: the connection must stay open at least half the delay after the answer.
     * Named {@code <target>-slow-close}.
     */
    public static Fault slowClose(Target target, Duration delay) {
        String name = target.name() + "-slow-close";
        Objects.requireNonNull(delay, "delay");
        NetworkLink link = requireBigAnswers(target, name, "a slow_close toxic");
        if (delay.compareTo(NetworkChecks.MEASURABLE.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("Fault '" + name + "': delay must be at least "
                    + NetworkChecks.MEASURABLE.multipliedBy(2).toMillis() + " ms, so that half of it can be told from"
                    + " a normal close, but was " + delay.toMillis() + " ms. Use for example"
                    + " NetworkFaults.slowClose(target, Duration.ofSeconds(2)).");
        }
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy slow_close toxic on '" + target.name() + "': connection closes delayed by "
                        + delay.toMillis() + " ms", List.of(ToxicSpec.slowClose(delay.toMillis())),
                NetworkChecks.closedNoSoonerThan(Conversation.answerThenClose(target.protocol(), link.proxied())
                        .orElseThrow(), delay), true));
    }

    /**
     * Answers are cut into slices of about {@code averageSliceBytes} (between half that and that), with {@code delay}
     * after each: data trickles in many small reads. {@code averageSliceBytes} from 1 to {@value #MAX_SLICE_BYTES},
     * {@code delay} from 1 ms to 10 s. Verified with an answer of enough slices to take about half a second (at least
     * 10 slices), which must take at least half its slices' delays. Named {@code <target>-slicer}.
     */
    public static Fault slicer(Target target, int averageSliceBytes, Duration delay) {
        String name = target.name() + "-slicer";
        Objects.requireNonNull(delay, "delay");
        NetworkLink link = requireBigAnswers(target, name, "a slicer toxic");
        if (averageSliceBytes < 1 || averageSliceBytes > MAX_SLICE_BYTES) {
            throw new IllegalArgumentException("Fault '" + name + "': averageSliceBytes must be from 1 to "
                    + MAX_SLICE_BYTES + ", but was " + averageSliceBytes + ". Use for example"
                    + " NetworkFaults.slicer(target, 64, Duration.ofMillis(5)).");
        }
        if (delay.compareTo(Duration.ofMillis(1)) < 0 || delay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("Fault '" + name + "': delay must be from 1 ms to 10 s (a shorter one"
                    + " cannot be told from a busy machine's noise), but was " + delay + ". Use for example"
                    + " NetworkFaults.slicer(target, 64, Duration.ofMillis(5)).");
        }
        long wanted = Math.max(10, (500_000_000L + delay.toNanos() - 1) / delay.toNanos());
        long slices = Math.max(10, Math.min(wanted, MAX_PROBE_ANSWER_BYTES / averageSliceBytes));
        int answerBytes = (int) Math.min(MAX_PROBE_ANSWER_BYTES, slices * averageSliceBytes);
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy slicer toxic on '" + target.name() + "': answers sliced into about " + averageSliceBytes
                        + " bytes, " + String.format(Locale.ROOT, "%.3f", delay.toNanos() / 1e6) + " ms apart",
                List.of(ToxicSpec.slicer(averageSliceBytes, 0, delay.toNanos() / 1_000)),
                NetworkChecks.sliced(Conversation.bigAnswer(target.protocol(), link.proxied(), answerBytes)
                        .orElseThrow(), averageSliceBytes, delay), true));
    }

    /**
     * Each connection is closed once {@code bytes} of answers have passed on it: a large answer arrives cut short.
     * {@code bytes} from 1 to {@value #MAX_LIMIT_DATA_BYTES}. Verified with an answer longer than the limit (a Redis
     * PING echoing {@code bytes + 1000} bytes; for HTTP the answer to {@code GET /} must be longer than the limit).
     * Named {@code <target>-limit-data}.
     */
    public static Fault limitData(Target target, long bytes) {
        String name = target.name() + "-limit-data";
        NetworkLink link = requireBigAnswers(target, name, "a limit_data toxic");
        if (bytes < 1 || bytes > MAX_LIMIT_DATA_BYTES) {
            throw new IllegalArgumentException("Fault '" + name + "': bytes must be from 1 to " + MAX_LIMIT_DATA_BYTES
                    + ", but was " + bytes + ". Use for example NetworkFaults.limitData(target, 10_000).");
        }
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy limit_data toxic on '" + target.name() + "': connections closed after " + bytes
                        + " bytes of answers", List.of(ToxicSpec.limitData(bytes)),
                NetworkChecks.cutAfter(Conversation.bigAnswer(target.protocol(), link.proxied(), (int) bytes + 1_000)
                        .orElseThrow(), bytes), true));
    }

    /**
     * A network partition: connections are still accepted and stay open, but no data passes either way until the
     * fault is reverted (two timeout toxics, upstream and downstream; what was sent meanwhile is lost). Before this
     * version this name disabled the proxy; that is now {@link #proxyDown(Target)}. Named {@code <target>-partition}.
     */
    public static Fault partition(Target target) {
        return partition(target, Direction.BOTH);
    }

    /**
     * A one-way partition. {@link Direction#UPSTREAM}: requests are dropped before they reach the dependency.
     * {@link Direction#DOWNSTREAM}: requests reach the dependency and are executed, but the answers are dropped, so a
     * write is applied while its client sees no acknowledgement. Connections stay open either way. Named
     * {@code <target>-partition-upstream} or {@code <target>-partition-downstream} ({@code <target>-partition} for
     * both ways).
     *
     * <pre>{@code
     * Fault lostAcks = NetworkFaults.partition(redis, NetworkFaults.Direction.DOWNSTREAM);
     * }</pre>
     */
    public static Fault partition(Target target, Direction direction) {
        Objects.requireNonNull(direction, "direction");
        String name = target.name() + "-partition"
                + (direction == Direction.BOTH ? "" : "-" + direction.name().toLowerCase(Locale.ROOT));
        NetworkLink link = requireAnswering(target, name, "a partition, which keeps connections open,");
        List<ToxicSpec> toxics = switch (direction) {
            case UPSTREAM -> List.of(ToxicSpec.timeout(ToxicDirection.UPSTREAM));
            case DOWNSTREAM -> List.of(ToxicSpec.timeout(ToxicDirection.DOWNSTREAM));
            case BOTH -> List.of(ToxicSpec.timeout(ToxicDirection.UPSTREAM),
                    ToxicSpec.timeout(ToxicDirection.DOWNSTREAM));
        };
        String what = switch (direction) {
            case UPSTREAM -> "requests dropped before they reach it";
            case DOWNSTREAM -> "requests reach it, answers dropped";
            case BOTH -> "no data passes either way";
        };
        return Fault.of(name, ToxiproxyDisruption.withToxics(name, target.name(), link,
                "Toxiproxy partition of '" + target.name() + "' (" + direction.name().toLowerCase(Locale.ROOT)
                        + ", timeout toxics): connections stay open, " + what, toxics, silence(target, link), true));
    }

    /**
     * The proxy is disabled: new connections are refused (through Docker's port forwarding, accepted and closed at
     * once) and open ones are closed. What {@code partition(target)} did before this version. Allowed on a plain
     * {@link Protocol#TCP} target, whose connect probe sees the refusal. Named {@code <target>-proxy-down}.
     */
    public static Fault proxyDown(Target target) {
        String name = target.name() + "-proxy-down";
        NetworkLink link = requireProxied(target, name);
        return Fault.of(name, ToxiproxyDisruption.proxyDisabled(name, target.name(), link, silence(target, link)));
    }

    private static NetworkChecks.Check silence(Target target, NetworkLink link) {
        return NetworkChecks.silence(Probes.forProtocol(target.protocol(), link.proxied()));
    }

    private static NetworkLink requireProxied(Target target, String name) {
        target.require(Capability.PROXIED_LINK, "fault '" + name + "'");
        return target.link().orElseThrow();
    }

    /**
     * A {@link Protocol#TCP} target is probed only by opening a connection, and connections open at once under these
     * toxics: the fault could never be shown to take effect.
     */
    private static NetworkLink requireAnswering(Target target, String name, String toxic) {
        NetworkLink link = requireProxied(target, name);
        if (target.protocol() == Protocol.TCP) {
            throw new IllegalArgumentException("Fault '" + name + "' cannot be verified on target '" + target.name()
                    + "': the target speaks plain TCP, so it is probed only by connecting, and connections still open"
                    + " at once under " + toxic + ". Use NetworkFaults.proxyDown(target), whose refused connections a"
                    + " connect probe sees, or give the target its real protocol (HTTP, REDIS or POSTGRES) in the"
                    + " environment.");
        }
        return link;
    }

    /** These faults show only on a large answer or on the server's close: the harness gets those from Redis, HTTP. */
    private static NetworkLink requireBigAnswers(Target target, String name, String toxic) {
        NetworkLink link = requireProxied(target, name);
        if (target.protocol() != Protocol.REDIS && target.protocol() != Protocol.HTTP) {
            throw new IllegalArgumentException("Fault '" + name + "' cannot be verified on target '" + target.name()
                    + "': " + toxic + " shows only on an answer large enough to slow or cut, or on the server closing"
                    + " the connection, and the harness gets those only from REDIS (a PING echoing a payload, QUIT) or"
                    + " HTTP (GET /), but the target speaks " + target.protocol() + ". Use latency, timeout,"
                    + " partition, resetPeer or proxyDown on it instead.");
        }
        return link;
    }

    private static void requirePositive(String name, String what, Duration value, String example) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("Fault '" + name + "': " + what + " must be > 0, but was " + value
                    + ". Use " + example + ".");
        }
    }
}
