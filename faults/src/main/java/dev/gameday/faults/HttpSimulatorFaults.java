package dev.gameday.faults;

import dev.gameday.environments.Capability;
import dev.gameday.environments.Target;
import dev.gameday.faults.internal.WireMockDisruption;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Faults of an upstream HTTP service that the system under test reaches as a WireMock simulator
 * ({@link Capability#HTTP_SIMULATOR}): error answers, slow answers, broken exchanges. Each injection adds its own stubs
 * through the simulator's admin API ({@code /__admin} on the target's endpoint), with priority 1 and the metadata
 * {@code {"gameday": "<fault>-<id>"}}, and its revert deletes exactly those stubs; the user's stubs are never changed.
 *
 * <pre>{@code
 * Target exchange = environment.target("exchange");                       // declared asHttpSimulator()
 * Fault halfFail = HttpSimulatorFaults.errors(exchange, 503, 0.5);         // every second answer is a 503
 * Fault slowOrders = HttpSimulatorFaults.delay(exchange, Duration.ofMillis(800),
 *         HttpSimulatorFaults.Route.of("POST", "/api/v3/order").probedWith("{\"clientOrderId\":\"probe\"}"));
 * try (ActiveFault active = slowOrders.inject()) {
 *     // POST /api/v3/order still answers as before, 800 ms later
 * }
 * }</pre>
 *
 * <p><b>How the answers stay the user's.</b> WireMock has no "let the request go on to the next stub". Where a fault
 * keeps the normal answer (a delay, the requests an error rate lets through), its stub proxies the request to the
 * simulator itself with a header of this injection ({@code X-Gameday-Passed-<id>}); this injection's stubs require
 * that header absent, so the proxied request is answered by the user's stubs exactly as without the fault (templates,
 * the user's own delays). The simulator reaches itself at {@code http://localhost:8080} when the target runs in a
 * container (WireMock's image listens on 8080), otherwise at {@code localhost} and the target's own port. Every answer
 * that went through a fault's stub carries the header {@code X-Gameday-Fault: <fault>-<id>}, which the verification
 * counts. Broken exchanges (malformed, empty, reset) have no answer to keep. Delays are not made with WireMock's
 * global delay settings ({@code POST /__admin/settings}): those are one value for the whole simulator, cannot be
 * restricted to a route, and two faults (or a fault and the user's own settings) would overwrite each other's.
 *
 * <p><b>Overlapping faults</b> on one simulator stack: a request meets the newest fault's stubs first; a stub that
 * lets it through (a delay, the passing part of an error rate) sends it on to the older faults' stubs and then to the
 * user's. Two delays on one route add up; an error answer ends the chain. Reverting one fault removes only its stubs.
 * User stubs with priority 1 lose to the faults' stubs too (WireMock prefers the newest stub among equal priorities).
 *
 * <p><b>Verification</b> is from both sides: the simulator's admin API must list this injection's stubs (or, after the
 * revert, answer 404 for each), and real HTTP requests to the simulator's own endpoint (not through a Toxiproxy proxy
 * in front of it, so that a network fault elsewhere does not blur the evidence), on the route's probe request, must
 * show the effect: the counted error share, an answer slower than the (minimum) delay, a failed exchange; after the
 * revert, the probe's normal status again, without the fault's header.
 */
public final class HttpSimulatorFaults {

    /** The smallest error rate: WireMock has no probability, so a rate is k failures in every n ≤ 20 requests. */
    public static final double MINIMUM_RATE = 1.0 / WireMockDisruption.MAX_CYCLE;

    private HttpSimulatorFaults() {
    }

    /**
     * The requests a fault applies to (a method and a regular expression on the URL path, as WireMock's
     * {@code urlPathPattern}), and the request the verification sends, which must be one of them: the request the
     * system under test makes, ideally.
     *
     * <pre>{@code
     * Route all    = Route.everything();                                    // any request; probed with GET /
     * Route orders = Route.of("POST", "/api/v3/order").probedWith("{\"clientOrderId\":\"probe\"}");
     * Route prices = Route.matching("GET", "/prices/.*", "/prices/BTC");
     * }</pre>
     *
     * @param method         an HTTP method, or {@code ANY}
     * @param urlPathPattern a Java regular expression the whole URL path must match
     * @param probeMethod    the verification request's method
     * @param probePath      the verification request's path (and query), matched by {@code urlPathPattern}
     * @param probeBody      the verification request's body, sent as JSON when not empty
     */
    public record Route(String method, String urlPathPattern, String probeMethod, String probePath, String probeBody) {

        public Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(urlPathPattern, "urlPathPattern");
            Objects.requireNonNull(probeMethod, "probeMethod");
            Objects.requireNonNull(probePath, "probePath");
            Objects.requireNonNull(probeBody, "probeBody");
            method = method.toUpperCase(Locale.ROOT);
            probeMethod = probeMethod.toUpperCase(Locale.ROOT);
            if (!method.matches("[A-Z]+") || !probeMethod.matches("[A-Z]+") || probeMethod.equals("ANY")) {
                throw new IllegalArgumentException("HTTP fault route: expected an HTTP method (or ANY for the route),"
                        + " but found method '" + method + "' and probe method '" + probeMethod + "'. Use for example"
                        + " Route.of(\"POST\", \"/api/v3/order\").");
            }
            if (!method.equals("ANY") && !method.equals(probeMethod)) {
                throw new IllegalArgumentException("HTTP fault route " + method + " " + urlPathPattern + ": the probe"
                        + " request is a " + probeMethod + ", which the fault does not apply to, so it could never show"
                        + " the fault. Probe with a " + method + " request.");
            }
            if (!probePath.startsWith("/")) {
                throw new IllegalArgumentException("HTTP fault route: a probe path starts with '/', but was '"
                        + probePath + "'. Use for example \"/api/v3/order\".");
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(urlPathPattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("HTTP fault route: expected a regular expression on the URL path,"
                        + " but '" + urlPathPattern + "' is not one (" + e.getDescription() + "). Use for example"
                        + " \"/prices/.*\", or Route.of(method, path) for one exact path.", e);
            }
            String path = probePath.contains("?") ? probePath.substring(0, probePath.indexOf('?')) : probePath;
            if (!pattern.matcher(path).matches()) {
                throw new IllegalArgumentException("HTTP fault route " + method + " " + urlPathPattern + ": the probe"
                        + " path '" + probePath + "' is not matched by it, so the probe could never show the fault."
                        + " Probe with a path the pattern matches.");
            }
        }

        /** Every request; probed with {@code GET /}. */
        public static Route everything() {
            return new Route("ANY", ".*", "GET", "/", "");
        }

        /** Requests with this method to exactly this path; probed with the same, without a body. */
        public static Route of(String method, String path) {
            return new Route(method, Pattern.quote(path), method, path, "");
        }

        /** Requests with this method (or {@code ANY}) whose path matches the regular expression; probed on {@code probePath}. */
        public static Route matching(String method, String urlPathPattern, String probePath) {
            String upper = method.toUpperCase(Locale.ROOT);
            return new Route(upper, urlPathPattern, upper.equals("ANY") ? "GET" : upper, probePath, "");
        }

        /** The same route, probed with this JSON body. */
        public Route probedWith(String jsonBody) {
            return new Route(method, urlPathPattern, probeMethod, probePath, jsonBody);
        }

        /** For reports: {@code POST /api/v3/order}, or {@code every request}. */
        public String describe() {
            return method.equals("ANY") && urlPathPattern.equals(".*") ? "every request"
                    : (method.equals("ANY") ? "any method" : method) + " " + readablePath(urlPathPattern);
        }

        private static String readablePath(String pattern) {
            return pattern.startsWith("\\Q") && pattern.endsWith("\\E") && pattern.indexOf("\\E") == pattern.length() - 2
                    ? pattern.substring(2, pattern.length() - 2) : pattern;
        }
    }

    /**
     * That share of the answers is {@code status}, deterministically: WireMock has no probability, so the rate is
     * taken as the nearest k failures in every n ≤ 20 requests ({@link Fault#describe()} says which), and a WireMock
     * scenario of this injection cycles through n states, k of which answer the status while the others let the
     * request through to the user's stubs. Requests the system sends one at a time see exactly k in every n fail;
     * concurrent requests race on the scenario's state (matching a stub and moving the state on are not one step), so
     * their share is close to, not exactly, k/n, and now and then one misses the cycle and gets the normal answer
     * (measured: 98-99 of 200 failed at 0.5 with four concurrent clients, 0-2 missed the cycle). WireMock updates a
     * scenario without a lock, so the cycle only runs once all its stubs are there, and is stopped before they are
     * deleted: injected and reverted 25 times under four clients that never pause, no answer was anything but the
     * status or the user's own. Named {@code <target>-http-errors}.
     *
     * @param rate between {@link #MINIMUM_RATE} (0.05) and 1; 1 fails every request
     */
    public static Fault errors(Target target, int status, double rate) {
        return errors(target, status, rate, Route.everything());
    }

    /** Like {@link #errors(Target, int, double)}, for the requests of one route. */
    public static Fault errors(Target target, int status, double rate, Route route) {
        String name = target.name() + "-http-errors";
        target.require(Capability.HTTP_SIMULATOR, "fault '" + name + "'");
        Objects.requireNonNull(route, "route");
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("Fault '" + name + "': expected an HTTP status from 200 to 599, but"
                    + " found " + status + ". Use for example 503 or 500.");
        }
        if (!(rate >= MINIMUM_RATE - 1e-9 && rate <= 1.0)) {
            throw new IllegalArgumentException("Fault '" + name + "': expected a rate from " + MINIMUM_RATE + " (one in "
                    + WireMockDisruption.MAX_CYCLE + ") to 1.0, but found " + rate + ". WireMock has no probability, so"
                    + " a rate is k failures in every n <= " + WireMockDisruption.MAX_CYCLE + " requests; use 1.0 to"
                    + " fail every request.");
        }
        return of(target, name, WireMockDisruption.errors(target, route, name, status, rate));
    }

    /** Every answer comes {@code fixed} later than it would, and is otherwise the same. Named {@code <target>-http-delay}. */
    public static Fault delay(Target target, Duration fixed) {
        return delay(target, fixed, Route.everything());
    }

    /** Like {@link #delay(Target, Duration)}, for the requests of one route. */
    public static Fault delay(Target target, Duration fixed, Route route) {
        String name = target.name() + "-http-delay";
        target.require(Capability.HTTP_SIMULATOR, "fault '" + name + "'");
        Objects.requireNonNull(route, "route");
        requirePositive(name, "delay", fixed);
        return of(target, name, WireMockDisruption.delay(target, route, name, fixed, fixed));
    }

    /**
     * Every answer comes later by a delay drawn uniformly between {@code min} and {@code max} (WireMock's
     * {@code uniform} delay distribution), and is otherwise the same. Named {@code <target>-http-random-delay}.
     */
    public static Fault randomDelay(Target target, Duration min, Duration max) {
        return randomDelay(target, min, max, Route.everything());
    }

    /** Like {@link #randomDelay(Target, Duration, Duration)}, for the requests of one route. */
    public static Fault randomDelay(Target target, Duration min, Duration max, Route route) {
        String name = target.name() + "-http-random-delay";
        target.require(Capability.HTTP_SIMULATOR, "fault '" + name + "'");
        Objects.requireNonNull(route, "route");
        requirePositive(name, "minimum delay", min);
        requirePositive(name, "maximum delay", max);
        if (max.compareTo(min) <= 0) {
            throw new IllegalArgumentException("Fault '" + name + "': expected a maximum delay above the minimum, but"
                    + " found " + min.toMillis() + " ms to " + max.toMillis() + " ms. Swap them, or use delay(target,"
                    + " duration) for a fixed delay.");
        }
        return of(target, name, WireMockDisruption.delay(target, route, name, min, max));
    }

    /**
     * Answers start normally ({@code 200} and headers) and then send a malformed chunk of the body and close the
     * connection (WireMock's {@code MALFORMED_RESPONSE_CHUNK}): the client fails while reading the body. Named
     * {@code <target>-http-malformed-response}.
     */
    public static Fault malformedResponse(Target target) {
        return malformedResponse(target, Route.everything());
    }

    /** Like {@link #malformedResponse(Target)}, for the requests of one route. */
    public static Fault malformedResponse(Target target, Route route) {
        return broken(target, route, "-http-malformed-response", WireMockDisruption.Kind.MALFORMED_RESPONSE);
    }

    /**
     * The connection is closed without any answer (WireMock's {@code EMPTY_RESPONSE}). Named
     * {@code <target>-http-empty-response}.
     */
    public static Fault emptyResponse(Target target) {
        return emptyResponse(target, Route.everything());
    }

    /** Like {@link #emptyResponse(Target)}, for the requests of one route. */
    public static Fault emptyResponse(Target target, Route route) {
        return broken(target, route, "-http-empty-response", WireMockDisruption.Kind.EMPTY_RESPONSE);
    }

    /**
     * The connection is reset (a TCP RST) instead of an answer (WireMock's {@code CONNECTION_RESET_BY_PEER}). Named
     * {@code <target>-http-connection-reset}. A client that reaches the simulator through Docker's port forwarding
     * ({@code docker-proxy}, a published port) or a TCP proxy such as Toxiproxy sees the reset as an orderly close
     * without a byte, as with {@link #emptyResponse(Target)}: the forwarder ends its own connection to the client.
     * Only clients on the simulator's container network see the RST itself.
     */
    public static Fault connectionReset(Target target) {
        return connectionReset(target, Route.everything());
    }

    /** Like {@link #connectionReset(Target)}, for the requests of one route. */
    public static Fault connectionReset(Target target, Route route) {
        return broken(target, route, "-http-connection-reset", WireMockDisruption.Kind.CONNECTION_RESET);
    }

    private static Fault broken(Target target, Route route, String suffix, WireMockDisruption.Kind kind) {
        String name = target.name() + suffix;
        target.require(Capability.HTTP_SIMULATOR, "fault '" + name + "'");
        Objects.requireNonNull(route, "route");
        return of(target, name, WireMockDisruption.broken(target, route, name, kind));
    }

    private static Fault of(Target target, String name, WireMockDisruption disruption) {
        return Fault.of(name, disruption).meteredThrough(target);
    }

    private static void requirePositive(String name, String what, Duration duration) {
        Objects.requireNonNull(duration, what);
        if (duration.toMillis() < 1) {
            throw new IllegalArgumentException("Fault '" + name + "': expected a " + what + " of at least 1 ms, but"
                    + " found " + duration + ". Use for example Duration.ofMillis(500).");
        }
    }
}
