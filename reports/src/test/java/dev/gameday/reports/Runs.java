package dev.gameday.reports;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TransportError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Realistic runs of the redis-timeouts experiment, recorded on a hand-driven ticker and evaluated by the real
 * {@link Evaluator}: 150 requests/s for 60 s across two series, Redis timing out from 20.4 s to 40.3 s.
 */
final class Runs {

    static final String ORDERS = "place order";
    static final String QUOTES = "get quote";
    static final String FAULT = "redis-timeout";

    private static final Duration WARMUP = ofSeconds(5);
    private static final Criterion FAST = Criteria.latency().p95().below(ofMillis(100));
    private static final Criterion RELIABLE = Criteria.successRate().above(99.5);
    static final ObjectiveSet OBJECTIVES = ObjectiveSet.builder()
            .during(Phase.BASELINE, FAST, RELIABLE)
            .during(Phase.FAULT, Criteria.latency().p95().below(ofMillis(500)), RELIABLE)
            .recoversWithin(ofSeconds(15), FAST, RELIABLE)
            .during(Phase.AFTER, FAST, RELIABLE)
            .acknowledgedWritesDurable()
            .build();
    private static final Optional<DurabilityEvidence> ALL_FOUND =
            Optional.of(new DurabilityEvidence("orders table", 6_000, 0, List.of()));

    // Timelines and evaluations are immutable, so every test can share the four runs.
    private static final RunReport PASSED = recordPassed();
    private static final RunReport FAILED = recordFailed();
    private static final RunReport NEVER_RECOVERED = recordNeverRecovered();
    private static final RunReport INVALID = recordInvalid();

    private Runs() {
    }

    /** The system shrugs the fault off. */
    static RunReport passed() {
        return PASSED;
    }

    private static RunReport recordPassed() {
        return report(healthyAround(RunFixture.offering(150, 60, ORDERS, QUOTES), 0, 60)
                .fault(FAULT, ofMillis(20_400), ofMillis(40_300))
                .injector(ofSeconds(30), ofMillis(3), 212, 1_048_576)
                .timeline(), ALL_FOUND);
    }

    /** Half the orders time out while the fault is active; quotes partly fail with an error status. */
    static RunReport failed() {
        return FAILED;
    }

    private static RunReport recordFailed() {
        return report(failing().timeline(), ALL_FOUND);
    }

    /**
     * As {@link #failed()}: orders time out, quotes get 503 (and a few 400 in one second); and Redis's container died
     * at 30 s, OOM-killed.
     */
    static RunReport failedWhileTargetDied() {
        return report(failing()
                .event(ofMillis(30_200), TimelineEvent.Kind.TARGET_OUT_OF_MEMORY, "redis", "")
                .event(ofMillis(30_250), TimelineEvent.Kind.TARGET_DIED, "redis", "exit code 137, OOM-killed")
                .event(ofMillis(31_000), TimelineEvent.Kind.TARGET_STARTED, "redis", "")
                .timeline(), ALL_FOUND);
    }

    private static RunFixture failing() {
        RunFixture run = healthyAround(RunFixture.offering(150, 60, ORDERS, QUOTES), 0, 20)
                .requests(ORDERS, 20, 41, 50, ofMillis(5), Outcome.SUCCESS)
                .noResponse(ORDERS, 20, 41, 50, ofSeconds(5), TransportError.TIMEOUT)
                .requests(QUOTES, 20, 41, 40, ofMillis(8), Outcome.SUCCESS)
                .errorStatus(QUOTES, 20, 40, 10, ofMillis(20), 503)
                .errorStatus(QUOTES, 40, 41, 10, ofMillis(20), 400);
        return healthyAround(run, 41, 60)
                .fault(FAULT, ofMillis(20_400), ofMillis(40_300))
                .injector(ofSeconds(30), ofMillis(3), 212, 1_048_576);
    }

    /** As {@link #failed()}, but the load generator ran short of file descriptors in the recovery phase, which therefore cannot be judged. */
    static RunReport failedWithUntrustedRecovery() {
        RunFixture run = healthyAround(RunFixture.offering(150, 60, ORDERS, QUOTES), 0, 20)
                .requests(ORDERS, 20, 41, 50, ofMillis(5), Outcome.SUCCESS)
                .requests(ORDERS, 20, 41, 50, ofSeconds(5), Outcome.NO_RESPONSE)
                .healthy(QUOTES, 20, 41, 50);
        return report(healthyAround(run, 41, 60)
                .fault(FAULT, ofMillis(20_400), ofMillis(40_300))
                .injector(ofSeconds(45), ofMillis(2), 1_000_000, 1_048_576)
                .timeline(), ALL_FOUND);
    }

    /** Orders keep timing out after the fault is restored until the load ends. */
    static RunReport neverRecovered() {
        return NEVER_RECOVERED;
    }

    private static RunReport recordNeverRecovered() {
        RunFixture run = healthyAround(RunFixture.offering(150, 60, ORDERS, QUOTES), 0, 20)
                .requests(ORDERS, 20, 60, 100, ofSeconds(5), Outcome.NO_RESPONSE)
                .healthy(QUOTES, 20, 60, 50);
        return report(run.fault(FAULT, ofMillis(20_400), ofMillis(40_300)).timeline(), ALL_FOUND);
    }

    /** The fault never took effect, so the experiment tested nothing; and the durability check never ran. */
    static RunReport invalid() {
        return INVALID;
    }

    private static RunReport recordInvalid() {
        return report(healthyAround(RunFixture.offering(150, 60, ORDERS, QUOTES), 0, 60)
                .event(ofSeconds(20), TimelineEvent.Kind.FAULT_INJECTING, FAULT, "")
                .event(ofSeconds(40), TimelineEvent.Kind.FAULT_RESTORED, FAULT, "")
                .timeline(), Optional.empty());
    }

    /** The redis-timeouts experiment's report of the timeline, evaluated against {@link #OBJECTIVES}. */
    static RunReport report(Timeline timeline, Optional<DurabilityEvidence> durability) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("rate", "150 requests/s (100 place order, 50 get quote)");
        parameters.put("duration", "60 s, warmup 5 s");
        parameters.put("fault", FAULT + ": Redis stops answering, from 20 s to 40 s");
        return new RunReport("redis-timeouts", "demo-trading-system (flaws: no-redis-timeout)",
                "Orders keep flowing when Redis stops answering.", parameters, timeline,
                Evaluator.evaluate(timeline, OBJECTIVES, WARMUP, durability));
    }

    private static RunFixture healthyAround(RunFixture run, int from, int to) {
        return run.healthy(ORDERS, from, to, 100).healthy(QUOTES, from, to, 50);
    }
}
