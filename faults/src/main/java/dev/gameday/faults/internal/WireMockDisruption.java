package dev.gameday.faults.internal;

import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Target;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.HttpSimulatorFaults.Route;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Upstream HTTP faults through a WireMock simulator's admin API. Each injection adds its own stubs (ids chosen in
 * {@link #prepare()}, priority {@value #PRIORITY}, metadata {@code {"gameday": "<fault>-<id>"}}) and its revert deletes
 * exactly those, by id and then by metadata. Stubs that keep the user's answer proxy the request to the simulator
 * itself with the header {@code X-Gameday-Passed-<id>}, which this injection's stubs require absent, so that the
 * user's stubs answer it; every answer through such a stub, and every injected error, carries
 * {@value #FAULT_HEADER}{@code : <fault>-<id>}. See {@link dev.gameday.faults.HttpSimulatorFaults} for the faults.
 *
 * <pre>{@code
 * WireMockDisruption slow = WireMockDisruption.delay(exchange, Route.everything(), "exchange-http-delay",
 *         Duration.ofMillis(800), Duration.ofMillis(800));
 * AppliedState state = slow.prepare();          // stub ids, the probe's normal status
 * slow.apply(state);
 * WireMockDisruption.revertRecorded(state);     // what 'gameday cleanup' does in another JVM
 * }</pre>
 */
public final class WireMockDisruption implements Disruption {

    /** The backend name in {@link AppliedState}s and the fault journal. */
    public static final String BACKEND = "wiremock";
    /** The priority of every stub of this project: above WireMock's default (5) and any user stub at 2 or more. */
    public static final int PRIORITY = 1;
    /** The answer header naming the injection whose stub answered. */
    public static final String FAULT_HEADER = "X-Gameday-Fault";
    /** Prefix of the header that marks a request one injection let through, so its own stubs skip it. */
    public static final String PASSED_HEADER_PREFIX = "X-Gameday-Passed-";
    /** The longest cycle an error rate is expressed in: k failures in every n <= 20 requests. */
    public static final int MAX_CYCLE = 20;
    /** The port WireMock's container image listens on, where a simulator in a container reaches itself. */
    public static final int CONTAINER_PORT = 8080;
    /** How long a probe waits for an answer, on top of any delay the fault adds. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** How long one observation of an error rate keeps sampling. */
    private static final Duration SAMPLE_BUDGET = Duration.ofSeconds(3);
    /** The state every WireMock scenario starts in; only a cycle's anchor requires it: the cycle stands still. */
    private static final String PARKED = "Started";
    /** How often a revert sets a cycle's scenario to {@link #PARKED} before it gives up. */
    private static final int PARK_ATTEMPTS = 10;

    /** What the injection's stubs do. */
    public enum Kind {
        ERRORS, DELAY, MALFORMED_RESPONSE, EMPTY_RESPONSE, CONNECTION_RESET;

        /** WireMock's fault name for the broken exchanges. */
        String wireMockFault() {
            return switch (this) {
                case MALFORMED_RESPONSE -> "MALFORMED_RESPONSE_CHUNK";
                case EMPTY_RESPONSE -> "EMPTY_RESPONSE";
                case CONNECTION_RESET -> "CONNECTION_RESET_BY_PEER";
                default -> throw new IllegalStateException(this + " is not a broken exchange");
            };
        }
    }

    private final Kind kind;
    private final String targetName;
    private final Endpoint endpoint;
    private final WireMockAdmin admin;
    private final String selfBaseUrl;
    private final Route route;
    private final String faultName;
    private final int status;
    private final int failures;
    private final int cycle;
    private final Duration minDelay;
    private final Duration maxDelay;

    private WireMockDisruption(Kind kind, Target target, Route route, String faultName, int status, int[] fraction,
                               Duration minDelay, Duration maxDelay) {
        this.kind = kind;
        this.targetName = target.name();
        this.endpoint = target.endpoint();
        this.admin = new WireMockAdmin(URI.create("http://" + endpoint.host() + ":" + endpoint.port() + "/__admin"));
        this.selfBaseUrl = "http://localhost:" + (target.containerId().isPresent() ? CONTAINER_PORT : endpoint.port());
        this.route = Objects.requireNonNull(route, "route");
        this.faultName = Objects.requireNonNull(faultName, "faultName");
        this.status = status;
        this.failures = fraction[0];
        this.cycle = fraction[1];
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    /** {@code status} for the share {@code rate} of the route's requests, as k failures in every n requests. */
    public static WireMockDisruption errors(Target target, Route route, String faultName, int status, double rate) {
        return new WireMockDisruption(Kind.ERRORS, target, route, faultName, status, fraction(rate), null, null);
    }

    /** The route's answers delayed by {@code min} (when {@code min == max}) or uniformly between them. */
    public static WireMockDisruption delay(Target target, Route route, String faultName, Duration min, Duration max) {
        return new WireMockDisruption(Kind.DELAY, target, route, faultName, 0, new int[] {0, 1}, min, max);
    }

    /** A broken exchange instead of the route's answers. */
    public static WireMockDisruption broken(Target target, Route route, String faultName, Kind kind) {
        kind.wireMockFault();
        return new WireMockDisruption(kind, target, route, faultName, 0, new int[] {0, 1}, null, null);
    }

    /**
     * The fraction k/n, n <= {@value #MAX_CYCLE}, nearest to {@code rate} (the smaller n on a tie), as {@code {k, n}}.
     */
    public static int[] fraction(double rate) {
        int[] best = null;
        double bestError = Double.MAX_VALUE;
        for (int n = 1; n <= MAX_CYCLE; n++) {
            int k = (int) Math.round(rate * n);
            double error = Math.abs(rate - (double) k / n);
            if (k >= 1 && k <= n && error < bestError - 1e-12) {
                best = new int[] {k, n};
                bestError = error;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("An error rate must be from " + (1.0 / MAX_CYCLE) + " to 1, but was "
                    + rate + ".");
        }
        return best;
    }

    /** Whether step {@code i} of a cycle of n with k failures fails: the failures spread evenly over the cycle. */
    static boolean failsAt(int i, int k, int n) {
        return Math.floorDiv((i + 1) * k, n) > Math.floorDiv(i * k, n);
    }

    @Override
    public String describe() {
        String where = "on '" + targetName + "' (" + route.describe() + ")";
        return switch (kind) {
            case ERRORS -> "WireMock stubs " + where + ": HTTP " + status + " for " + failures + " in every " + cycle
                    + " requests" + (failures == cycle ? " (all)" : ", the others answered as usual");
            case DELAY -> "WireMock stub " + where + ": answers delayed by " + (minDelay.equals(maxDelay)
                    ? minDelay.toMillis() + " ms" : minDelay.toMillis() + " to " + maxDelay.toMillis()
                    + " ms (uniform)");
            case MALFORMED_RESPONSE -> "WireMock stub " + where + ": 200, then a malformed body chunk and the"
                    + " connection closed";
            case EMPTY_RESPONSE -> "WireMock stub " + where + ": connection closed without an answer";
            case CONNECTION_RESET -> "WireMock stub " + where + ": connection reset instead of an answer";
        };
    }

    /**
     * Picks this injection's tag and stub ids, and records the status the probe request normally gets, which the
     * revert must bring back. Adds nothing to the simulator.
     */
    @Override
    public AppliedState prepare() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        // a cycle's stubs, and then its scenario's anchor (see apply)
        for (int i = 0; i < (cycles() ? cycle + 1 : 1); i++) {
            ids.add(UUID.randomUUID().toString());
        }
        Answer normal = answer(PROBE_TIMEOUT);
        if (normal.failure != null) {
            throw new IOException("the simulator did not answer the probe " + probeDescription() + " before the fault ("
                    + normal.describe() + "); check that it is running and that the route's probe is a request it"
                    + " serves", normal.failure);
        }
        AppliedState state = AppliedState.of(BACKEND)
                .with("admin", admin.base().toString())
                .with("tag", faultName + "-" + id)
                .with("passed-header", PASSED_HEADER_PREFIX + id)
                .with("stubs", String.join(",", ids))
                .with("probe-status", Integer.toString(normal.status));
        return cycles() ? state.with("scenario", "gameday-" + faultName + "-" + id) : state;
    }

    /** Whether the injection's stubs take turns through a WireMock scenario: an error rate below 1. */
    private boolean cycles() {
        return kind == Kind.ERRORS && cycle > 1;
    }

    /**
     * Adds the stubs, then starts the cycle. WireMock keeps a scenario's state and stub list in one record that it
     * reads, changes and writes back without a lock, both when a stub is added or removed and when a request is
     * served by a stub of the scenario (wiremock/wiremock#1999). A request served while a stub is being added can
     * thus write back a list without that stub; the scenario is then dropped while that stub is still there, its
     * deletion answers 500, and every request it matches answers 500 (seen in CI, under load). So no stub of the cycle
     * can match until all are added: the anchor comes first and creates the scenario in {@code Started}, which only
     * the anchor (matching no request) requires; the cycle starts when its state is set to {@code step-0}.
     */
    @Override
    public void apply(AppliedState injection) throws IOException {
        for (String stub : stubs(injection)) {
            admin.addStub(stub);
        }
        if (cycles()) {
            admin.setScenarioState(injection.value("scenario"), step(0));
        }
    }

    /** The mappings this injection adds, in order; their ids are the state's {@code stubs}. */
    public List<String> stubs(AppliedState injection) {
        String tag = injection.value("tag");
        String passed = injection.value("passed-header");
        List<String> ids = List.of(injection.value("stubs").split(","));
        String request = "{\"method\":" + WireMockAdmin.json(route.method()) + ",\"urlPathPattern\":"
                + WireMockAdmin.json(route.urlPathPattern()) + ",\"headers\":{" + WireMockAdmin.json(passed)
                + ":{\"absent\":true}}}";
        String passThrough = "\"proxyBaseUrl\":" + WireMockAdmin.json(selfBaseUrl)
                + ",\"additionalProxyRequestHeaders\":{" + WireMockAdmin.json(passed) + ":" + WireMockAdmin.json(tag)
                + "},\"headers\":{" + WireMockAdmin.json(FAULT_HEADER) + ":" + WireMockAdmin.json(tag) + "}";
        List<String> stubs = new ArrayList<>();
        if (cycles()) {
            // the anchor: in the scenario, required state Started, and a request no client sends
            stubs.add("{\"id\":" + WireMockAdmin.json(ids.get(cycle))
                    + ",\"name\":" + WireMockAdmin.json("gameday " + tag + " (the cycle's anchor, matches nothing)")
                    + ",\"priority\":" + PRIORITY
                    + ",\"persistent\":false"
                    + ",\"metadata\":{" + WireMockAdmin.json(WireMockAdmin.METADATA_KEY) + ":" + WireMockAdmin.json(tag)
                    + "},\"scenarioName\":" + WireMockAdmin.json(injection.value("scenario"))
                    + ",\"requiredScenarioState\":" + WireMockAdmin.json(PARKED)
                    + ",\"request\":{\"method\":\"ANY\",\"urlPath\":" + WireMockAdmin.json("/__gameday/" + tag)
                    + ",\"headers\":{" + WireMockAdmin.json(passed) + ":{\"equalTo\":\"never sent\"}}}"
                    + ",\"response\":{\"status\":404}}");
        }
        for (int i = 0; i < (cycles() ? cycle : ids.size()); i++) {
            String response = switch (kind) {
                case ERRORS -> failsAt(i, failures, cycle)
                        ? "{\"status\":" + status + ",\"headers\":{" + WireMockAdmin.json(FAULT_HEADER) + ":"
                                + WireMockAdmin.json(tag) + ",\"Content-Type\":\"text/plain\"},\"body\":"
                                + WireMockAdmin.json("gameday fault " + tag + ": injected HTTP " + status) + "}"
                        : "{" + passThrough + "}";
                case DELAY -> "{" + passThrough + (minDelay.equals(maxDelay)
                        ? ",\"fixedDelayMilliseconds\":" + minDelay.toMillis()
                        : ",\"delayDistribution\":{\"type\":\"uniform\",\"lower\":" + minDelay.toMillis()
                                + ",\"upper\":" + maxDelay.toMillis() + "}") + "}";
                default -> "{\"fault\":\"" + kind.wireMockFault() + "\"}";
            };
            String scenario = !cycles() ? ""
                    : ",\"scenarioName\":" + WireMockAdmin.json(injection.value("scenario"))
                            + ",\"requiredScenarioState\":" + WireMockAdmin.json(step(i))
                            + ",\"newScenarioState\":" + WireMockAdmin.json(step((i + 1) % cycle));
            stubs.add("{\"id\":" + WireMockAdmin.json(ids.get(i))
                    + ",\"name\":" + WireMockAdmin.json("gameday " + tag + " (" + (i + 1) + " of " + ids.size() + ")")
                    + ",\"priority\":" + PRIORITY
                    + ",\"persistent\":false"
                    + ",\"metadata\":{" + WireMockAdmin.json(WireMockAdmin.METADATA_KEY) + ":" + WireMockAdmin.json(tag)
                    + "}" + scenario
                    + ",\"request\":" + request
                    + ",\"response\":" + response + "}");
        }
        return stubs;
    }

    private static String step(int i) {
        return "step-" + i;
    }

    @Override
    public void revert(AppliedState injection) throws IOException {
        revertRecorded(injection);
    }

    /**
     * Reverts an injection from its recorded state alone (the fault journal's cleanup): deletes its stubs by id, then
     * any stub left with its metadata, and checks that none is left. A simulator that no longer answers went away
     * with its environment, and nothing is left.
     */
    public static String revertRecorded(AppliedState state) throws IOException {
        WireMockAdmin admin = new WireMockAdmin(URI.create(state.value("admin")));
        String tag = state.value("tag");
        int deleted = 0;
        List<String> ids = List.of(state.value("stubs").split(","));
        try {
            if (state.values().containsKey("scenario")) {
                park(admin, state.value("scenario"));
            }
            // the cycle's stubs first, the anchor (last id) last: the scenario goes with the last of its stubs
            for (String id : ids) {
                if (admin.deleteStub(id)) {
                    deleted++;
                }
            }
            admin.removeTagged(tag);
            List<String> left = admin.idsTagged(tag);
            if (!left.isEmpty()) {
                throw new IOException("WireMock at " + admin.base() + " still has stubs " + left + " of '" + tag
                        + "' after deleting them; expected none. Delete them by hand (DELETE /__admin/mappings/<id>)");
            }
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return "WireMock at " + admin.base() + " no longer answers: it went away with its environment, so nothing"
                    + " is left applied";
        }
        return "removed " + deleted + " of " + ids.size() + " stubs of '" + tag + "' from WireMock at " + admin.base()
                + (deleted < ids.size() ? " (the others were never added, or already removed)" : "");
    }

    /**
     * Stops the cycle before its stubs are deleted, so that no request served meanwhile writes back the scenario's
     * record (see {@link #apply}): sets the scenario to {@code Started}, which only the anchor requires, and reads the
     * state back, since a request served at that instant may have moved it on again. A scenario that is gone has
     * nothing left to stop.
     */
    private static void park(WireMockAdmin admin, String scenario) throws IOException {
        String state = null;
        for (int attempt = 1; attempt <= PARK_ATTEMPTS; attempt++) {
            if (!admin.setScenarioState(scenario, PARKED)) {
                return;
            }
            state = admin.scenarioState(scenario).orElse(PARKED);
            if (state.equals(PARKED)) {
                return;
            }
            try {
                Thread.sleep(20L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping scenario '" + scenario + "'", e);
            }
        }
        throw new IOException("WireMock at " + admin.base() + " kept moving scenario '" + scenario + "' on: set to "
                + PARKED + " " + PARK_ATTEMPTS + " times, its state was then '" + state + "' again. Its stubs are"
                + " still there; delete them by hand (DELETE /__admin/mappings/<id>)");
    }

    /**
     * From the simulator's side, whether this injection's stubs are listed (by metadata, against the recorded ids);
     * from a client's side, what real requests on the route's probe get: the counted error share, a slowed answer
     * through the fault's stub, a broken exchange; or the normal status without the fault's header.
     */
    @Override
    public Observation observe(AppliedState injection) {
        String tag = injection.value("tag");
        List<String> ids = List.of(injection.value("stubs").split(","));
        int normalStatus = Integer.parseInt(injection.value("probe-status"));
        List<String> listed;
        try {
            listed = admin.idsTagged(tag);
        } catch (IOException e) {
            return Observation.inconclusive("WireMock's admin API at " + admin.base() + " did not answer: "
                    + e.getMessage());
        }
        boolean present = new HashSet<>(listed).containsAll(ids) && listed.size() == ids.size();
        String adminView = "admin API lists " + listed.size() + " of " + ids.size() + " stubs of '" + tag + "'";
        boolean absent = listed.isEmpty();
        if (absent) {
            // and by id, in case a stub lost its metadata: GET /__admin/mappings/<id> answers 404 for each
            try {
                for (String id : ids) {
                    if (admin.hasStub(id)) {
                        absent = false;
                        adminView += ", but still has stub " + id;
                    }
                }
            } catch (IOException e) {
                return Observation.inconclusive("WireMock's admin API at " + admin.base() + " did not answer: "
                        + e.getMessage());
            }
            if (absent) {
                adminView += " (each id answers 404)";
            }
        }
        return switch (kind) {
            case ERRORS -> observeErrors(tag, normalStatus, present, absent, adminView);
            case DELAY -> observeDelay(tag, normalStatus, present, absent, adminView);
            default -> observeBroken(tag, normalStatus, present, absent, adminView);
        };
    }

    private Observation observeErrors(String tag, int normalStatus, boolean present, boolean absent,
                                      String adminView) {
        int sample = Math.max(cycle, 2);
        int injected = 0;
        int passed = 0;
        int normal = 0;
        List<String> other = new ArrayList<>();
        long deadline = System.nanoTime() + SAMPLE_BUDGET.toNanos();
        int sent = 0;
        while (sent < sample && System.nanoTime() < deadline) {
            Answer answer = answer(PROBE_TIMEOUT);
            sent++;
            boolean marked = answer.markedBy(tag);
            if (answer.failure == null && marked && answer.status == status) {
                injected++;
            } else if (answer.failure == null && marked && answer.status == normalStatus) {
                passed++;
            } else if (answer.failure == null && !marked && answer.status == normalStatus) {
                normal++;
            } else {
                other.add(answer.describe());
            }
        }
        String evidence = adminView + "; " + sent + " probes " + probeDescription() + ": " + injected + " x "
                + status + " injected, " + passed + " x " + normalStatus + " let through by the fault, " + normal
                + " x " + normalStatus + " untouched" + (other.isEmpty() ? "" : ", other: " + other);
        // All failing: nothing may get through. A share: both parts of the cycle show; a request that raced with the
        // system's own on the scenario's state may miss the cycle (no stub of it matched), which is no counter-evidence.
        boolean wholeShare = failures == cycle ? passed == 0 && normal == 0 : passed > 0;
        if (present && injected > 0 && wholeShare && other.isEmpty()) {
            return Observation.inEffect(evidence);
        }
        if (absent && injected == 0 && passed == 0 && normal == sent && sent > 0) {
            return Observation.notInEffect(evidence);
        }
        return Observation.inconclusive(evidence + passThroughHint(present, normalStatus, other.size()));
    }

    private Observation observeDelay(String tag, int normalStatus, boolean present, boolean absent, String adminView) {
        Answer answer = answer(maxDelay.plus(PROBE_TIMEOUT));
        String evidence = adminView + "; probe " + probeDescription() + ": " + answer.describe();
        boolean normalAnswer = answer.failure == null && answer.status == normalStatus;
        if (present && normalAnswer && answer.markedBy(tag) && answer.elapsed.compareTo(minDelay) >= 0) {
            return Observation.inEffect(evidence + ", at least the " + minDelay.toMillis() + " ms delay");
        }
        if (absent && normalAnswer && !answer.markedBy(tag)) {
            return Observation.notInEffect(evidence);
        }
        return Observation.inconclusive(evidence + passThroughHint(present,
                normalStatus, answer.failure == null && answer.status != normalStatus ? 1 : 0));
    }

    private Observation observeBroken(String tag, int normalStatus, boolean present, boolean absent,
                                      String adminView) {
        Answer answer = answer(PROBE_TIMEOUT);
        String evidence = adminView + "; HTTP client " + probeDescription() + ": " + answer.describe();
        if (absent && answer.failure == null && answer.status == normalStatus && !answer.markedBy(tag)) {
            return Observation.notInEffect(evidence);
        }
        if (!present || answer.failure == null || answer.failure instanceof HttpConnectTimeoutException
                || answer.failure instanceof ConnectException || answer.failure instanceof HttpTimeoutException) {
            return Observation.inconclusive(evidence);
        }
        Wire wire = wire();
        evidence += "; on the wire: " + wire.describe();
        boolean asExpected = switch (kind) {
            case MALFORMED_RESPONSE -> wire.firstLine.startsWith("HTTP/1.1 200") && !wire.complete;
            case EMPTY_RESPONSE -> wire.ending.equals("closed") && wire.bytes == 0;
            // Docker's port forwarding (docker-proxy) and TCP proxies such as Toxiproxy turn the simulator's RST into
            // an orderly close: what a client there sees is then the connection ended without a byte.
            case CONNECTION_RESET -> wire.ending.equals("reset") || wire.ending.equals("closed") && wire.bytes == 0;
            default -> false;
        };
        return asExpected ? Observation.inEffect(evidence) : Observation.inconclusive(evidence);
    }

    /**
     * WireMock answers a proxied request it could not deliver with a 500 of its own, without the stub's headers: the
     * likely cause when this injection's stubs are there and answers other than the expected ones come back.
     */
    private String passThroughHint(boolean present, int normalStatus, int unexpected) {
        if (!present || unexpected == 0) {
            return "";
        }
        return ". Unexpected answers while the stubs are there: if they are 500s (normally " + normalStatus + "), the"
                + " simulator could not pass requests on to itself at " + selfBaseUrl + ", where a simulator in a"
                + " container must listen (WireMock's image does, on " + CONTAINER_PORT + "); one outside a container"
                + " must listen on localhost at its target's port";
    }

    /** A probe takes at most this long; an error rate's sample stops after {@code 3 s} and finishes its request. */
    @Override
    public Duration observationTime() {
        return switch (kind) {
            case ERRORS -> SAMPLE_BUDGET.plus(PROBE_TIMEOUT);
            case DELAY -> maxDelay.plus(PROBE_TIMEOUT);
            default -> PROBE_TIMEOUT.multipliedBy(2);
        };
    }

    private String probeDescription() {
        return route.probeMethod() + " " + route.probePath() + " to " + endpoint;
    }

    /** What a {@code java.net.http} client got for the route's probe request. */
    private record Answer(int status, List<String> markers, Duration elapsed, Exception failure) {
        /** Whether this injection's stub answered (or let the request through); overlapping faults add theirs. */
        boolean markedBy(String tag) {
            return markers.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::trim)
                    .anyMatch(tag::equals);
        }

        String describe() {
            String time = String.format(Locale.ROOT, "%.1f ms", elapsed.toNanos() / 1e6);
            if (failure != null) {
                return "failed after " + time + " with " + failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : " (" + failure.getMessage() + ")");
            }
            return status + " in " + time + (markers.isEmpty() ? "" : " with " + FAULT_HEADER + ": "
                    + String.join(", ", markers));
        }
    }

    private Answer answer(Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + endpoint.host() + ":"
                        + endpoint.port() + route.probePath()))
                .timeout(timeout)
                .method(route.probeMethod(), route.probeBody().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(route.probeBody()));
        if (!route.probeBody().isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = WireMockAdmin.client().send(request.build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().allValues(FAULT_HEADER),
                    Duration.ofNanos(System.nanoTime() - start), null);
        } catch (IOException e) {
            return new Answer(0, List.of(), Duration.ofNanos(System.nanoTime() - start), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, List.of(), Duration.ofNanos(System.nanoTime() - start), e);
        }
    }

    /**
     * What the probe request gets on a raw keep-alive connection (so that the server frames the body, as it does for
     * pooled clients): how many bytes, the first line, how the connection ended ({@code kept open} after a complete
     * answer, {@code closed}, {@code reset}, {@code timed out}, {@code refused}), and whether the bytes are one
     * complete HTTP answer.
     */
    record Wire(int bytes, String firstLine, String ending, boolean complete) {
        String describe() {
            return bytes + " bytes" + (firstLine.isEmpty() ? "" : " starting '" + firstLine + "'") + ", connection "
                    + ending + ", " + (complete ? "a complete" : "not a complete") + " HTTP answer";
        }
    }

    Wire wire() {
        byte[] body = route.probeBody().getBytes(StandardCharsets.UTF_8);
        String head = route.probeMethod() + " " + route.probePath() + " HTTP/1.1\r\nHost: " + endpoint.host() + ":"
                + endpoint.port() + "\r\n" + (body.length > 0 ? "Content-Type: application/json\r\n" : "")
                + "Content-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        String ending;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) PROBE_TIMEOUT.toMillis());
            socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int read;
            ending = "closed";
            while ((read = in.read(buffer)) != -1) {
                received.write(buffer, 0, read);
                if (complete(received.toByteArray())) {
                    ending = "kept open";
                    break;
                }
            }
        } catch (ConnectException e) {
            ending = "refused";
        } catch (SocketTimeoutException e) {
            ending = "timed out";
        } catch (SocketException e) {
            ending = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset")
                    ? "reset" : "failed (" + e.getMessage() + ")";
        } catch (IOException e) {
            ending = "failed (" + e + ")";
        }
        byte[] bytes = received.toByteArray();
        return new Wire(bytes.length, firstLine(bytes), ending, complete(bytes));
    }

    private static String firstLine(byte[] bytes) {
        int end = indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        String line = new String(bytes, 0, end < 0 ? Math.min(bytes.length, 40) : Math.min(end, 80),
                StandardCharsets.ISO_8859_1);
        return line.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** Whether the bytes are one complete HTTP/1.1 answer: headers, then a body of its length or valid chunks. */
    static boolean complete(byte[] bytes) {
        int headerEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headerEnd < 0 || !new String(bytes, 0, Math.min(bytes.length, 5), StandardCharsets.US_ASCII)
                .equals("HTTP/")) {
            return false;
        }
        String headers = new String(bytes, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int at = headerEnd + 4;
        if (headers.matches("(?s).*\r\ntransfer-encoding:\\s*chunked.*")) {
            while (true) {
                int lineEnd = indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
                if (lineEnd < 0) {
                    return false;
                }
                int size;
                try {
                    size = Integer.parseInt(new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1)
                            .split(";")[0].trim(), 16);
                } catch (NumberFormatException e) {
                    return false;
                }
                if (size < 0) {
                    return false;
                }
                if (size == 0) {
                    return true;
                }
                at = lineEnd + 2 + size;
                if (at + 2 > bytes.length || bytes[at] != '\r' || bytes[at + 1] != '\n') {
                    return false;
                }
                at += 2;
            }
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length:\\s*(\\d+)")
                .matcher(headers);
        return !length.find() || bytes.length - at >= Long.parseLong(length.group(1));
    }

    private static int indexOf(byte[] bytes, byte[] part, int from) {
        for (int i = Math.max(0, from); i <= bytes.length - part.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
