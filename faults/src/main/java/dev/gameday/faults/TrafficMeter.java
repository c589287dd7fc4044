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
 * <p>A backend may count a connection's bytes only once that connection has ended (Toxiproxy does): bytes on a
 * connection that is still open show up when it closes.
 */
public interface TrafficMeter {

    /**
     * One line for reports, for example
     * {@code bytes sent into Toxiproxy proxy 'redis' (toxiproxy_proxy_received_bytes_total, upstream, http://localhost:32768/metrics)}.
     */
    String describe();

    /**
     * Bytes the system under test has sent into the proxy so far, probes included; never decreases while the proxy
     * runs.
     *
     * @throws Exception when the count cannot be read; the message says why and what to do
     */
    long bytesSoFar() throws Exception;
}
