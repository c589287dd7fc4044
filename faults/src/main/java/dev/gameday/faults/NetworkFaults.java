package dev.gameday.faults;

import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.Probes;
import dev.gameday.faults.internal.ToxiproxyDisruption;
import java.time.Duration;
import java.util.Objects;

/**
 * Network faults between the system under test and one of its dependencies, applied through the Toxiproxy proxy
 * the environment put in front of it. Each is verified with a real request in the target's protocol; a timeout or
 * latency needs a target whose protocol the harness speaks (not {@link Protocol#TCP}), since a connection alone does
 * not show them.
 *
 * <pre>{@code
 * Fault hung = NetworkFaults.timeout(environment.target("redis"));
 * Fault slow = NetworkFaults.latency(environment.target("exchange"), Duration.ofMillis(800));
 * Fault cut  = NetworkFaults.partition(environment.target("postgres"));
 * }</pre>
 */
public final class NetworkFaults {

    private NetworkFaults() {
    }

    /**
     * The dependency stops answering: connections are accepted, but nothing gets through until the fault is reverted
     * (a hung or frozen server). Named {@code <target>-timeout}.
     */
    public static Fault timeout(Target target) {
        requireAnsweringProtocol(target, target.name() + "-timeout", "a timeout toxic");
        return toxiproxy(ToxiproxyDisruption.Kind.TIMEOUT, target, null, target.name() + "-timeout");
    }

    /** Every answer from the dependency is delayed by {@code latency}. Named {@code <target>-latency}. */
    public static Fault latency(Target target, Duration latency) {
        String name = target.name() + "-latency";
        Objects.requireNonNull(latency, "latency");
        requireAnsweringProtocol(target, name, "a latency toxic");
        if (latency.isNegative() || latency.isZero()) {
            throw new IllegalArgumentException("Fault '" + name + "': latency must be > 0, but was " + latency
                    + ". Use NetworkFaults.latency(target, Duration.ofMillis(100)).");
        }
        return toxiproxy(ToxiproxyDisruption.Kind.LATENCY, target, latency, name);
    }

    /** The dependency becomes unreachable: connections are refused and open ones closed. Named {@code <target>-partition}. */
    public static Fault partition(Target target) {
        return toxiproxy(ToxiproxyDisruption.Kind.PARTITION, target, null, target.name() + "-partition");
    }

    /**
     * A {@link Protocol#TCP} target is probed only by opening a connection, and connections open at once under a
     * timeout or latency toxic: the fault could never be shown to take effect.
     */
    private static void requireAnsweringProtocol(Target target, String name, String toxic) {
        if (target.protocol() == Protocol.TCP) {
            throw new IllegalArgumentException("Fault '" + name + "' cannot be verified on target '" + target.name()
                    + "': the target speaks plain TCP, so it is probed only by connecting, and connections still open"
                    + " at once under " + toxic + ". Use NetworkFaults.partition(target), whose refused connections a"
                    + " connect probe sees, or give the target its real protocol (HTTP, REDIS or POSTGRES) in the"
                    + " environment.");
        }
    }

    private static Fault toxiproxy(ToxiproxyDisruption.Kind kind, Target target, Duration latency, String name) {
        NetworkLink link = target.requireLink("a network fault ('" + name + "')");
        return Fault.of(name, new ToxiproxyDisruption(kind, target.name(), link,
                Probes.forProtocol(target.protocol(), link.proxied()), latency, name));
    }
}
