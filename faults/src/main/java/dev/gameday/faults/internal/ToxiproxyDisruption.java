package dev.gameday.faults.internal;

import dev.gameday.environments.NetworkLink;
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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network disruptions through the Toxiproxy proxy in front of a target. Toxics carry the {@link #TOXIC_PREFIX} so
 * that a later run can find and remove what a killed run left behind.
 */
public final class ToxiproxyDisruption implements Disruption {

    /** Every toxic this project creates is named with this prefix. */
    public static final String TOXIC_PREFIX = "gameday-";
    /** How long a probe waits for an answer before the dependency counts as not answering. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyDisruption.class);

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
    private final String toxicName;

    public ToxiproxyDisruption(Kind kind, String targetName, NetworkLink link, Probe probe, Duration latency,
                               String faultName) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.targetName = Objects.requireNonNull(targetName, "targetName");
        this.link = Objects.requireNonNull(link, "link");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.latency = latency;
        this.toxicName = TOXIC_PREFIX + faultName;
    }

    @Override
    public String describe() {
        return switch (kind) {
            case TIMEOUT -> "Toxiproxy timeout toxic on '" + targetName + "': connections accepted, no data passes";
            case LATENCY -> "Toxiproxy latency toxic on '" + targetName + "': answers delayed by " + latency.toMillis() + " ms";
            case PARTITION -> "Toxiproxy proxy '" + link.proxyName() + "' disabled: '" + targetName + "' unreachable";
        };
    }

    @Override
    public void apply() throws IOException {
        Proxy proxy = proxy();
        switch (kind) {
            case TIMEOUT -> proxy.toxics().timeout(toxicName, ToxicDirection.UPSTREAM, 0);
            case LATENCY -> proxy.toxics().latency(toxicName, ToxicDirection.DOWNSTREAM, latency.toMillis());
            case PARTITION -> proxy.disable();
        }
    }

    @Override
    public void revert() throws IOException {
        Proxy proxy = proxy();
        if (kind == Kind.PARTITION) {
            proxy.enable();
            return;
        }
        for (Toxic toxic : proxy.toxics().getAll()) {
            if (toxic.getName().equals(toxicName)) {
                toxic.remove();
            }
        }
    }

    /**
     * For a timeout or a partition, silence shows the effect and an answer its absence. For latency only an answer
     * tells: a slowed one shows the effect, a fast one its absence; silence shows neither, so it is inconclusive and
     * can verify neither the injection nor the revert.
     */
    @Override
    public Observation observe() {
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

    @Override
    public void removeLeftovers() throws IOException {
        Proxy proxy = proxy();
        for (Toxic toxic : proxy.toxics().getAll()) {
            if (toxic.getName().startsWith(TOXIC_PREFIX)) {
                LOG.warn("Removing toxic '{}' from proxy '{}', left behind by an earlier run that did not finish",
                        toxic.getName(), proxy.getName());
                toxic.remove();
            }
        }
        if (!proxy.isEnabled()) {
            LOG.warn("Re-enabling proxy '{}', left disabled by an earlier run that did not finish", proxy.getName());
            proxy.enable();
        }
    }

    private Proxy proxy() throws IOException {
        ToxiproxyClient client = new ToxiproxyClient(link.toxiproxyApi().host(), link.toxiproxyApi().port());
        Proxy proxy = client.getProxyOrNull(link.proxyName());
        if (proxy == null) {
            throw new IOException("Toxiproxy at " + link.toxiproxyApi() + " has no proxy named '" + link.proxyName()
                    + "'; the environment must create it before faults are injected");
        }
        return proxy;
    }
}
