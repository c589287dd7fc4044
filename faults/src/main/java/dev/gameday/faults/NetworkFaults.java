package dev.gameday.faults;

import dev.gameday.environments.NetworkLink;
import dev.gameday.environments.Target;
import dev.gameday.faults.probe.Probes;
import dev.gameday.faults.toxiproxy.ToxiproxyDisruption;
import java.time.Duration;
import java.util.Objects;

/**
 * Network faults between the system under test and one of its dependencies, applied through the Toxiproxy proxy
 * the environment put in front of it. Each is verified with a real request in the target's protocol.
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
        return toxiproxy(ToxiproxyDisruption.Kind.TIMEOUT, target, null, target.name() + "-timeout");
    }

    /** Every answer from the dependency is delayed by {@code latency}. Named {@code <target>-latency}. */
    public static Fault latency(Target target, Duration latency) {
        String name = target.name() + "-latency";
        Objects.requireNonNull(latency, "latency");
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

    private static Fault toxiproxy(ToxiproxyDisruption.Kind kind, Target target, Duration latency, String name) {
        NetworkLink link = target.requireLink("a network fault ('" + name + "')");
        return Fault.of(name, new ToxiproxyDisruption(kind, target.name(), link,
                Probes.forProtocol(target.protocol(), link.proxied()), latency, name));
    }
}
