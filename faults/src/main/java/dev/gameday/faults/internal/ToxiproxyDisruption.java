package dev.gameday.faults.internal;

import dev.gameday.environments.NetworkLink;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.TrafficMeter;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.ToxicList;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Slicer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Network disruptions through the Toxiproxy proxy in front of a target: one or more toxics added to the proxy, or the
 * proxy disabled. Each injection's toxics have names of their own ({@code gameday-<fault>-<id>}, with the direction
 * appended when one fault adds two), so two faults on one proxy never remove each other's toxics, and the fault
 * journal names exactly what a killed run left behind.
 *
 * <pre>{@code
 * Disruption slow = ToxiproxyDisruption.withToxics("redis-latency", "redis", link,
 *         "latency toxic on 'redis'", List.of(ToxiproxyDisruption.ToxicSpec.latency(300, 0)),
 *         NetworkChecks.slowed(probe, Duration.ofMillis(300), Duration.ofMillis(300)), true);
 * }</pre>
 */
public final class ToxiproxyDisruption implements Disruption {

    /** Every toxic this project creates is named with this prefix. */
    public static final String TOXIC_PREFIX = "gameday-";
    /** The backend name in {@link AppliedState}s and the fault journal. */
    public static final String BACKEND = "toxiproxy";
    /** How long a probe waits for an answer before the dependency counts as not answering. */
    public static final Duration PROBE_TIMEOUT = NetworkChecks.PROBE_TIMEOUT;

    private static final String ENABLE_PROXY = "enable-proxy";
    private static final String REMOVE_TOXICS = "remove-toxics";

    /**
     * One toxic to add, in Toxiproxy's own words (checked against Toxiproxy 2.12.0's {@code toxics/*.go}).
     *
     * <pre>{@code
     * ToxicSpec hang = ToxicSpec.timeout(ToxicDirection.UPSTREAM);   // data from the client is dropped
     * }</pre>
     *
     * @param type       Toxiproxy's type name: {@code latency}, {@code timeout}, {@code bandwidth}, {@code reset_peer},
     *                   {@code slow_close}, {@code slicer}, {@code limit_data}
     * @param direction  {@code UPSTREAM} acts on what the client sends, {@code DOWNSTREAM} on the answers
     * @param attributes the toxic's attributes, in Toxiproxy's units (milliseconds, KB/s, microseconds for the
     *                   slicer's delay, bytes)
     */
    public record ToxicSpec(String type, ToxicDirection direction, Map<String, Long> attributes) {

        public ToxicSpec {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(direction, "direction");
            attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }

        /** Answers delayed by {@code latencyMillis} ± {@code jitterMillis}. */
        public static ToxicSpec latency(long latencyMillis, long jitterMillis) {
            return new ToxicSpec("latency", ToxicDirection.DOWNSTREAM,
                    Map.of("latency", latencyMillis, "jitter", jitterMillis));
        }

        /** Timeout 0: the data in this direction is dropped until the toxic is removed; the connection stays open. */
        public static ToxicSpec timeout(ToxicDirection direction) {
            return new ToxicSpec("timeout", direction, Map.of("timeout", 0L));
        }

        /** Answers limited to {@code kilobytesPerSecond} (Toxiproxy's KB is 1000 bytes). */
        public static ToxicSpec bandwidth(long kilobytesPerSecond) {
            return new ToxicSpec("bandwidth", ToxicDirection.DOWNSTREAM, Map.of("rate", kilobytesPerSecond));
        }

        /** A connection is reset as soon as the client sends data (timeout 0). */
        public static ToxicSpec resetPeer() {
            return new ToxicSpec("reset_peer", ToxicDirection.UPSTREAM, Map.of("timeout", 0L));
        }

        /** The server's close reaches the client {@code delayMillis} late. */
        public static ToxicSpec slowClose(long delayMillis) {
            return new ToxicSpec("slow_close", ToxicDirection.DOWNSTREAM, Map.of("delay", delayMillis));
        }

        /** Answers cut into slices of about {@code averageSize} bytes, {@code delayMicros} apart. */
        public static ToxicSpec slicer(long averageSize, long sizeVariation, long delayMicros) {
            return new ToxicSpec("slicer", ToxicDirection.DOWNSTREAM,
                    Map.of("average_size", averageSize, "size_variation", sizeVariation, "delay", delayMicros));
        }

        /** The connection is closed once {@code bytes} of answers have passed. */
        public static ToxicSpec limitData(long bytes) {
            return new ToxicSpec("limit_data", ToxicDirection.DOWNSTREAM, Map.of("bytes", bytes));
        }

        long attribute(String name) {
            Long value = attributes.get(name);
            if (value == null) {
                throw new IllegalStateException("Toxic '" + type + "' needs attribute '" + name + "', but has "
                        + attributes + ".");
            }
            return value;
        }
    }

    private final String faultName;
    private final String targetName;
    private final NetworkLink link;
    private final String description;
    /** Empty for a disabled proxy. */
    private final List<ToxicSpec> toxics;
    private final NetworkChecks.Check check;
    private final boolean countsDuringFault;
    /** What this disruption's probes sent through the proxy, left out of the traffic meter's count. */
    private final AtomicLong probeBytes = new AtomicLong();

    private ToxiproxyDisruption(String faultName, String targetName, NetworkLink link, String description,
                                List<ToxicSpec> toxics, NetworkChecks.Check check, boolean countsDuringFault) {
        this.faultName = Objects.requireNonNull(faultName, "faultName");
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.link = Objects.requireNonNull(link, "link");
        this.description = Objects.requireNonNull(description, "description");
        this.toxics = List.copyOf(toxics);
        this.check = Objects.requireNonNull(check, "check");
        this.countsDuringFault = countsDuringFault;
    }

    /**
     * Adds these toxics to the target's proxy for each injection and removes them on revert.
     *
     * @param countsDuringFault whether the system's traffic still reaches the traffic meter under these toxics
     */
    public static ToxiproxyDisruption withToxics(String faultName, String targetName, NetworkLink link,
                                                 String description, List<ToxicSpec> toxics, NetworkChecks.Check check,
                                                 boolean countsDuringFault) {
        if (toxics.isEmpty()) {
            throw new IllegalArgumentException("Fault '" + faultName + "': expected at least one toxic, but got none.");
        }
        return new ToxiproxyDisruption(faultName, targetName, link, description, toxics, check, countsDuringFault);
    }

    /** Disables the target's proxy for each injection and enables it again on revert. */
    public static ToxiproxyDisruption proxyDisabled(String faultName, String targetName, NetworkLink link,
                                                    NetworkChecks.Check check) {
        return new ToxiproxyDisruption(faultName, targetName, link, "Toxiproxy proxy '" + link.proxyName()
                + "' disabled: '" + targetName + "' unreachable, connections refused or closed at once", List.of(),
                check, false);
    }

    @Override
    public String describe() {
        return description;
    }

    /** Names this injection's toxics; a disabled proxy is recorded as the proxy to enable again. */
    @Override
    public AppliedState prepare() {
        AppliedState state = AppliedState.of(BACKEND)
                .with("api", link.toxiproxyApi().host() + ":" + link.toxiproxyApi().port())
                .with("proxy", link.proxyName());
        if (toxics.isEmpty()) {
            return state.with("action", ENABLE_PROXY);
        }
        String base = TOXIC_PREFIX + faultName + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> names = new ArrayList<>();
        for (ToxicSpec toxic : toxics) {
            names.add(toxics.size() == 1 ? base : base + "-" + toxic.direction().name().toLowerCase(Locale.ROOT));
        }
        return state.with("action", REMOVE_TOXICS).with("toxics", String.join(",", names));
    }

    @Override
    public void apply(AppliedState injection) throws IOException {
        Proxy proxy = proxy(link.toxiproxyApi().host(), link.toxiproxyApi().port(), link.proxyName());
        if (toxics.isEmpty()) {
            proxy.disable();
            return;
        }
        List<String> names = toxicNames(injection);
        for (int i = 0; i < toxics.size(); i++) {
            create(proxy.toxics(), names.get(i), toxics.get(i));
        }
    }

    private static void create(ToxicList list, String name, ToxicSpec spec) throws IOException {
        ToxicDirection direction = spec.direction();
        switch (spec.type()) {
            case "latency" -> {
                Latency latency = list.latency(name, direction, spec.attribute("latency"));
                if (spec.attribute("jitter") > 0) {
                    latency.setJitter(spec.attribute("jitter"));
                }
            }
            case "timeout" -> list.timeout(name, direction, spec.attribute("timeout"));
            case "bandwidth" -> list.bandwidth(name, direction, spec.attribute("rate"));
            case "reset_peer" -> list.resetPeer(name, direction, spec.attribute("timeout"));
            case "slow_close" -> list.slowClose(name, direction, spec.attribute("delay"));
            case "slicer" -> {
                Slicer slicer = list.slicer(name, direction, spec.attribute("average_size"), spec.attribute("delay"));
                if (spec.attribute("size_variation") > 0) {
                    slicer.setSizeVariation(spec.attribute("size_variation"));
                }
            }
            case "limit_data" -> list.limitData(name, direction, spec.attribute("bytes"));
            default -> throw new IllegalArgumentException("Toxic type '" + spec.type() + "' is not one this version"
                    + " knows (latency, timeout, bandwidth, reset_peer, slow_close, slicer, limit_data).");
        }
    }

    @Override
    public void revert(AppliedState injection) throws IOException {
        revertRecorded(injection);
    }

    /**
     * Reverts an injection from its recorded state alone (the fault journal's cleanup): removes its toxics, or
     * re-enables the proxy. A Toxiproxy that no longer answers, or no longer has the proxy, went away with its
     * environment, and nothing is left.
     */
    public static String revertRecorded(AppliedState state) throws IOException {
        String[] api = state.value("api").split(":");
        ToxiproxyClient client = new ToxiproxyClient(api[0], Integer.parseInt(api[1]));
        Proxy proxy;
        try {
            proxy = client.getProxyOrNull(state.value("proxy"));
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.ConnectException) {
                    return "Toxiproxy at " + state.value("api") + " no longer answers: it went away with its"
                            + " environment, so nothing is left applied";
                }
            }
            throw e;
        }
        if (proxy == null) {
            // the run's Toxiproxy is gone and its port taken by another one: its toxics went with their proxy
            return "Toxiproxy at " + state.value("api") + " has no proxy '" + state.value("proxy") + "' any more: it"
                    + " went away with its environment, so nothing is left applied";
        }
        if (state.value("action").equals(ENABLE_PROXY)) {
            proxy.enable();
            return "proxy '" + proxy.getName() + "' enabled";
        }
        List<String> wanted = toxicNames(state);
        List<String> removed = new ArrayList<>();
        for (Toxic toxic : proxy.toxics().getAll()) {
            if (wanted.contains(toxic.getName())) {
                toxic.remove();
                removed.add(toxic.getName());
            }
        }
        List<String> absent = wanted.stream().filter(name -> !removed.contains(name)).toList();
        String outcome = removed.isEmpty() ? "" : "toxic" + (removed.size() == 1 ? " '" : "s '")
                + String.join("', '", removed) + "' removed from proxy '" + proxy.getName() + "'";
        if (!absent.isEmpty()) {
            outcome += (outcome.isEmpty() ? "" : "; ") + "toxic" + (absent.size() == 1 ? " '" : "s '")
                    + String.join("', '", absent) + "' " + (absent.size() == 1 ? "was" : "were") + " not on proxy '"
                    + proxy.getName() + "' (never added, or already removed)";
        }
        return outcome;
    }

    /** The toxics an injection added: {@code toxics} (comma-separated), or {@code toxic} as older versions wrote. */
    private static List<String> toxicNames(AppliedState state) {
        String names = state.values().containsKey("toxics") ? state.value("toxics") : state.value("toxic");
        return List.of(names.split(","));
    }

    /** One probe through the proxy; see {@link NetworkChecks} for what each fault takes as evidence. */
    @Override
    public Observation observe(AppliedState injection) {
        probeBytes.addAndGet(check.requestBytes());
        return check.observe();
    }

    @Override
    public Duration observationTime() {
        return check.observationTime();
    }

    /**
     * The bytes sent into this target's proxy: Toxiproxy's Prometheus counters ({@code -proxy-metrics}) for the
     * connections that have ended, plus the link's {@linkplain NetworkLink#connections() live statistics} for those
     * still open. Empty when the link has no live statistics: Toxiproxy counts a connection only when it ends, so a
     * counter-only meter would report no traffic for a system whose pooled connections stay open, and a run would be
     * judged on false evidence. Both count what the client sent into the proxy before any toxic acts on it, so the
     * meter keeps counting under every toxic; only a disabled proxy, which refuses connections, leaves it nothing to
     * count during the fault.
     */
    @Override
    public Optional<TrafficMeter> trafficMeter() {
        return link.connections()
                .map(open -> new ToxiproxyTrafficMeter(link.toxiproxyApi(), link.proxyName(), open, probeBytes::get,
                        countsDuringFault));
    }

    /**
     * The traffic the system under test sends into a link's proxy, for a fault that acts on the dependency behind it
     * by other means (its container, its own protocol, its admin API): empty when the link has no live connection
     * statistics.
     *
     * <pre>{@code
     * Optional<TrafficMeter> meter = ToxiproxyDisruption.meterOnLink(redis.link().orElseThrow());
     * }</pre>
     */
    public static Optional<TrafficMeter> meterOnLink(NetworkLink link) {
        return link.connections().map(open -> new ToxiproxyTrafficMeter(link.toxiproxyApi(), link.proxyName(), open));
    }

    private static Proxy proxy(String host, int port, String name) throws IOException {
        ToxiproxyClient client = new ToxiproxyClient(host, port);
        Proxy proxy = client.getProxyOrNull(name);
        if (proxy == null) {
            throw new IOException("Toxiproxy at " + host + ":" + port + " has no proxy named '" + name
                    + "'; the environment must create it before faults are injected");
        }
        return proxy;
    }

    @Override
    public String toString() {
        return faultName + " on '" + targetName + "': " + description;
    }
}
