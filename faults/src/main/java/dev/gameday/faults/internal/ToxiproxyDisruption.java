package dev.gameday.faults.internal;

import dev.gameday.environments.NetworkLink;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.TrafficMeter;
import dev.gameday.faults.Probe;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Network disruptions through the Toxiproxy proxy in front of a target. Each injection's toxic has a name of its own
 * ({@code gameday-<fault>-<id>}), so two faults on one proxy never remove each other's toxics, and the fault journal
 * names exactly what a killed run left behind.
 */
public final class ToxiproxyDisruption implements Disruption {

    /** Every toxic this project creates is named with this prefix. */
    public static final String TOXIC_PREFIX = "gameday-";
    /** The backend name in {@link AppliedState}s and the fault journal. */
    public static final String BACKEND = "toxiproxy";
    /** How long a probe waits for an answer before the dependency counts as not answering. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    /** What the proxy does to traffic. */
    public enum Kind {
        /** Connections are accepted but no data gets through until the toxic is removed: a hung dependency. */
        TIMEOUT,
        /** Every answer is delayed. */
        LATENCY,
        /** The proxy is disabled: connections are refused and open ones are closed. */
        PARTITION
    }

    private final Kind kind;
    private final NetworkLink link;
    private final String targetName;
    private final Probe probe;
    /** What this disruption's probes sent through the proxy, left out of the traffic meter's count. */
    private final AtomicLong probeBytes = new AtomicLong();
    private final Duration latency;
    private final String faultName;

    public ToxiproxyDisruption(Kind kind, String targetName, NetworkLink link, Probe probe, Duration latency,
                               String faultName) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.link = Objects.requireNonNull(link, "link");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.latency = latency;
        this.faultName = Objects.requireNonNull(faultName, "faultName");
    }

    @Override
    public String describe() {
        return switch (kind) {
            case TIMEOUT -> "Toxiproxy timeout toxic on '" + targetName + "': connections accepted, no data passes";
            case LATENCY -> "Toxiproxy latency toxic on '" + targetName + "': answers delayed by " + latency.toMillis() + " ms";
            case PARTITION -> "Toxiproxy proxy '" + link.proxyName() + "' disabled: '" + targetName + "' unreachable";
        };
    }

    /** Names this injection's toxic; a partition disables the proxy and re-enables it on revert. */
    @Override
    public AppliedState prepare() {
        AppliedState state = AppliedState.of(BACKEND)
                .with("api", link.toxiproxyApi().host() + ":" + link.toxiproxyApi().port())
                .with("proxy", link.proxyName());
        return kind == Kind.PARTITION
                ? state.with("action", "enable-proxy")
                : state.with("action", "remove-toxic")
                        .with("toxic", TOXIC_PREFIX + faultName + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public void apply(AppliedState injection) throws IOException {
        Proxy proxy = proxy(link.toxiproxyApi().host(), link.toxiproxyApi().port(), link.proxyName());
        switch (kind) {
            case TIMEOUT -> proxy.toxics().timeout(injection.value("toxic"), ToxicDirection.UPSTREAM, 0);
            case LATENCY -> proxy.toxics().latency(injection.value("toxic"), ToxicDirection.DOWNSTREAM,
                    latency.toMillis());
            case PARTITION -> proxy.disable();
        }
    }

    @Override
    public void revert(AppliedState injection) throws IOException {
        revertRecorded(injection);
    }

    /**
     * Reverts an injection from its recorded state alone (the fault journal's cleanup): removes its toxic, or
     * re-enables the proxy. A Toxiproxy that no longer answers went away with its environment, and nothing is left.
     */
    public static String revertRecorded(AppliedState state) throws IOException {
        String[] api = state.value("api").split(":");
        Proxy proxy;
        try {
            proxy = proxy(api[0], Integer.parseInt(api[1]), state.value("proxy"));
        } catch (java.net.ConnectException e) {
            return "Toxiproxy at " + state.value("api") + " no longer answers: it went away with its environment, so"
                    + " nothing is left applied";
        }
        if (state.value("action").equals("enable-proxy")) {
            proxy.enable();
            return "proxy '" + proxy.getName() + "' enabled";
        }
        for (Toxic toxic : proxy.toxics().getAll()) {
            if (toxic.getName().equals(state.value("toxic"))) {
                toxic.remove();
                return "toxic '" + toxic.getName() + "' removed from proxy '" + proxy.getName() + "'";
            }
        }
        return "toxic '" + state.value("toxic") + "' was not on proxy '" + proxy.getName() + "' (never added, or"
                + " already removed)";
    }

    /**
     * For a timeout or a partition, silence shows the effect and an answer its absence. For latency only an answer
     * tells: a slowed one shows the effect, a fast one its absence; silence shows neither, so it is inconclusive and
     * can verify neither the injection nor the revert.
     */
    @Override
    public Observation observe(AppliedState injection) {
        Duration timeout = observationTime();
        probeBytes.addAndGet(probe.requestBytes());
        Optional<Duration> roundTrip = probe.roundTrip(timeout);
        if (roundTrip.isEmpty()) {
            String evidence = probe.describe() + " through the proxy got no answer within " + timeout.toMillis() + " ms";
            return kind == Kind.LATENCY
                    ? Observation.inconclusive(evidence + ", which shows neither added latency nor its absence")
                    : Observation.inEffect(evidence);
        }
        String evidence = probe.describe() + " through the proxy answered in "
                + String.format(Locale.ROOT, "%.1f ms", roundTrip.get().toNanos() / 1e6);
        // Half the added latency is enough to tell it apart from a healthy round trip.
        boolean slowed = kind == Kind.LATENCY && roundTrip.get().compareTo(latency.dividedBy(2)) >= 0;
        return slowed ? Observation.inEffect(evidence) : Observation.notInEffect(evidence);
    }

    /** One probe's timeout: {@link #PROBE_TIMEOUT}, plus the added latency for a latency fault. */
    @Override
    public Duration observationTime() {
        return kind == Kind.LATENCY ? latency.plus(PROBE_TIMEOUT) : PROBE_TIMEOUT;
    }

    /**
     * The bytes sent into this target's proxy: Toxiproxy's Prometheus counters ({@code -proxy-metrics}) for the
     * connections that have ended, plus the link's {@linkplain NetworkLink#connections() live statistics} for those
     * still open. Empty when the link has no live statistics: Toxiproxy counts a connection only when it ends, so a
     * counter-only meter would report no traffic for a system whose pooled connections stay open, and a run would be
     * judged on false evidence.
     */
    @Override
    public Optional<TrafficMeter> trafficMeter() {
        return link.connections()
                .map(open -> new ToxiproxyTrafficMeter(link.toxiproxyApi(), link.proxyName(), open, probeBytes::get,
                        kind != Kind.PARTITION));
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
}
