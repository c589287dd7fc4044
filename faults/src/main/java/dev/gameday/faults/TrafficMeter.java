package dev.gameday.faults;

/**
 * Counts the bytes the system under test has sent towards a fault's target, so that a report can show the fault
 * met real traffic: a fault on a dependency nobody called during the fault proves nothing. Read it before and after
 * the fault and compare.
 *
 * <pre>{@code
 * Fault fault = NetworkFaults.timeout(environment.target("redis"));
 * TrafficMeter meter = fault.trafficMeter().orElseThrow();
 * long before = meter.bytesSoFar();
 * try (ActiveFault active = fault.inject()) {
 *     // load runs here
 * }
 * long sentDuringTheFault = meter.bytesSoFar() - before;
 * }</pre>
 *
 * <p>A meter counts bytes on connections that are still open too: a system under test keeps its pooled connections
 * open throughout, so a count taken only when connections end would show no traffic at all. A backend that cannot
 * count live offers no meter ({@link Fault#trafficMeter()} is empty), rather than one that misleads.
 */
public interface TrafficMeter {

    /**
     * One line for reports, for example
     * {@code bytes sent into Toxiproxy proxy 'redis' (toxiproxy_proxy_received_bytes_total, upstream,
     * http://localhost:32768/metrics; plus bytes_received of its open connections)}.
     */
    String describe();

    /**
     * Whether the system's traffic still reaches the meter while the fault is applied: true for a fault that lets
     * connections in (a timeout, added latency, a partition), false for one that refuses them (the proxy down), where
     * only the traffic before the fault can show that the system uses this target.
     */
    default boolean countsDuringFault() {
        return true;
    }

    /**
     * Bytes the system under test has sent into the proxy so far, without the fault's own probes. It grows while traffic flows; a
     * connection ending between two readings may be counted twice or missed for that interval, so compare readings as
     * evidence that traffic flowed, not as an exact count.
     *
     * @throws Exception when the count cannot be read; the message says why and what to do
     */
    long bytesSoFar() throws Exception;
}
