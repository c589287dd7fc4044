package dev.gameday.scenarios.internal.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineRecorder;
import dev.gameday.timeline.TransportError;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one Gatling simulation Gameday runs: each request of the traffic mix becomes an open-model scenario at its
 * share of the rate, wrapped so that when it was due (its {@link ArrivalSchedule}), when it was sent, when it ended and
 * its outcome go into the timeline. Gatling instantiates it by class name; the plan arrives through {@link #install}.
 *
 * <p>Gatling's own checks are neutralised (a status check that accepts any status) so that an error status is not a
 * Gatling failure: the traffic's accepted statuses decide the outcome, and a request with no status at all (timeout,
 * refused, reset) is {@link Outcome#NO_RESPONSE}. Virtual users share one connection pool, like the API clients of a
 * real service, instead of opening a connection each.
 *
 * <p>A request that says how to tell a degraded answer ({@link dev.gameday.scenarios.DegradedAnswer}) has its body
 * searched for the marker; an answer with an accepted status whose body has it is recorded as
 * {@link Outcome#DEGRADED}.
 *
 * <p>The timeline keeps what each failure was: the error status, or the kind of transport error, from the exception
 * Gatling reported for the request ({@link RequestCrashes}); where none was reported, a request that lasted the
 * request timeout timed out, and anything else is {@link TransportError#OTHER}. Each request is also counted as in
 * flight from its send until its end, so that the live view can show requests that hang.
 */
public final class GamedaySimulation extends Simulation {

    private static final AtomicReference<LoadPlan> PLAN = new AtomicReference<>();
    private static final AtomicReference<RequestCrashes> CRASHES = new AtomicReference<>();
    /** A request without a response that lasted this close to the request timeout timed out. */
    private static final long TIMEOUT_SLACK_NANOS = 50_000_000L;
    private static final String DUE = "gameday.due";
    private static final String SENT = "gameday.sent";
    private static final String STATUS = "gameday.status";
    private static final String WRITE_ID = "gameday.writeId";
    private static final String DEGRADED = "gameday.degraded";

    private final LoadPlan plan;
    /** Set once onStart has run: requests of every series wait for it, so none reads a clock not yet started. */
    private volatile boolean started;

    public GamedaySimulation() {
        plan = PLAN.get();
        if (plan == null) {
            throw new IllegalStateException("GamedaySimulation runs only under the experiment runner, which hands it the"
                    + " load plan; run an Experiment with ExperimentRunner instead of launching Gatling on it.");
        }
        HttpProtocolBuilder protocol = http.baseUrl(plan.baseUri().toString())
                .shareConnections()
                .disableWarmUp()
                .disableCaching()
                .disableFollowRedirect()
                .acceptHeader("application/json");
        List<PopulationBuilder> populations = new ArrayList<>();
        for (int i = 0; i < plan.requests().size(); i++) {
            TrafficRequest request = plan.requests().get(i);
            double rate = plan.ratePerSecond() * request.share();
            List<OpenInjectionStep> steps = new ArrayList<>();
            if (plan.warmup().compareTo(Duration.ZERO) > 0) {
                steps.add(rampUsersPerSec(plan.startRate() * request.share()).to(rate).during(plan.warmup()));
            }
            steps.add(constantUsersPerSec(rate).during(plan.duration().minus(plan.warmup())));
            populations.add(scenario(request.series())
                    .exec(timed(request, plan.series().get(i), new ArrivalSchedule(steps)))
                    .injectOpen(steps));
        }
        setUp(populations).protocols(protocol);
    }

    static void install(LoadPlan plan, RequestCrashes crashes) {
        if (!PLAN.compareAndSet(null, plan)) {
            throw new IllegalStateException("Another experiment is already running in this JVM; Gatling runs one"
                    + " simulation at a time. Run experiments one after another.");
        }
        CRASHES.set(crashes);
    }

    static void uninstall() {
        CRASHES.set(null);
        PLAN.set(null);
    }

    /**
     * The clock starts with the first request, not when Gatling calls {@code before()}: Gatling injects its first user
     * a few hundred milliseconds later, and the offered load, the fault schedule and the phases must all count from
     * the same moment.
     */
    private void startOnce() {
        if (started) {
            return;
        }
        // The first request of each series can arrive at the same moment on different threads: one runs onStart, the
        // others wait for it to finish (a millisecond, once per run) instead of reading the recorder before it starts.
        synchronized (this) {
            if (!started) {
                try {
                    plan.onStart().accept(plan);
                } finally {
                    started = true;
                }
            }
        }
    }

    private ChainBuilder timed(TrafficRequest request, SeriesRecorder series, ArrivalSchedule schedule) {
        TimelineRecorder recorder = plan.recorder();
        WriteLedger ledger = plan.ledger();
        Set<Integer> accepted = request.acceptedStatuses();
        List<CheckBuilder> checks = new ArrayList<>();
        checks.add(status().not(-1).saveAs(STATUS));
        request.writeIdHeader().ifPresent(name -> checks.add(header(name).optional().saveAs(WRITE_ID)));
        // found only in a body that matches: its presence in the session marks the answer degraded
        request.degraded().ifPresent(marker -> checks.add(regex(marker.regex()).optional().saveAs(DEGRADED)));
        boolean recordsWrites = request.writeIdHeader().isPresent();
        RequestCrashes crashes = CRASHES.get();
        long timeoutNanos = plan.requestTimeout().toNanos();
        ChainBuilder timed = exec(session -> {
                    startOnce();
                    long now = recorder.now();
                    long offset = schedule.nextDueNanos();
                    long due = offset < 0 ? now : Math.min(now, recorder.readingAt(Duration.ofNanos(offset)));
                    series.sending(due);
                    return session.set(DUE, due).set(SENT, now);
                })
                .exec(request.request().get().check(checks))
                .exec(session -> {
                    long end = recorder.now();
                    long due = session.getLong(DUE);
                    long sent = session.getLong(SENT);
                    Throwable crash = crashes == null ? null : crashes.take(session.userId());
                    if (!session.contains(STATUS)) {
                        TransportError error = crash != null ? TransportError.classify(crash)
                                : end - sent >= timeoutNanos - TIMEOUT_SLACK_NANOS ? TransportError.TIMEOUT
                                : TransportError.OTHER;
                        series.recordNoResponse(error, crash == null ? null : crash.getClass().getName(), due, sent, end);
                        return session.markAsSucceeded();
                    }
                    int status = session.getInt(STATUS);
                    if (!accepted.contains(status)) {
                        series.recordErrorStatus(status, due, sent, end);
                        return session.markAsSucceeded();
                    }
                    series.record(session.contains(DEGRADED) ? Outcome.DEGRADED : Outcome.SUCCESS, due, sent, end);
                    if (recordsWrites && session.contains(WRITE_ID)) {
                        ledger.acknowledge(session.getString(WRITE_ID));
                    }
                    return session.markAsSucceeded();
                });
        // a run that may stop early (fail fast): once told to, the next user due stops the load generator, and no more
        // requests are sent; a run that always runs to its end keeps this check off its request path
        return plan.stop().map(stop -> stopLoadGeneratorIf(session -> "gameday: " + stop.get(),
                session -> stop.get() != null).exec(timed)).orElse(timed);
    }
}
