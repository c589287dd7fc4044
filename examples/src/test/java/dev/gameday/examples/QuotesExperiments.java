package dev.gameday.examples;

import static dev.gameday.assertions.Criteria.latency;
import static dev.gameday.assertions.Criteria.successRate;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.compose.ComposeEnvironment;
import dev.gameday.faults.NetworkFaults;
import dev.gameday.scenarios.EnvironmentSource;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.FaultSource;
import dev.gameday.scenarios.OpenLoad;
import java.nio.file.Path;

/** The quotes system's experiment, in the Java DSL: the same one as experiments/quotes-slow-redis.yaml. */
public final class QuotesExperiments {

    static final Path COMPOSE_FILE = Path.of("compose-system/docker-compose.yml");
    /** The chatty-client flaw, as an override file: the negative control runs against it and must fail. */
    static final Path CHATTY = Path.of("compose-system/docker-compose.chatty.yml");

    private QuotesExperiments() {
    }

    /** The system as its team runs it, from its own compose file, unchanged; Toxiproxy slips in front of Redis. */
    public static EnvironmentSource quotes(Path... overrideFiles) {
        ComposeEnvironment.Builder system = ComposeEnvironment.builder(COMPOSE_FILE, overrideFiles)
                .name("quotes")
                .entryPoint("quotes", 8000).readiness("/health")
                .proxied("redis", Protocol.REDIS, 6379);
        return EnvironmentSource.of(system.targetNames(), system::start);
    }

    /** The network to Redis slows by 40 ms for 15 s under 100 requests/s; quotes must stay fast and recover. */
    public static Experiment slowRedis(EnvironmentSource system) {
        return Experiment.named("quotes-slow-redis", "The network to Redis slows by 40 ms for 15 s under load")
                .given(system)
                .when(new QuoteTraffic(), OpenLoad.ratePerSecond(100).withWarmup(ofSeconds(10)))
                .inject(FaultSource.on("redis", redis -> NetworkFaults.latency(redis, ofMillis(40))),
                        FaultSchedule.baseline(ofSeconds(15)).fault(ofSeconds(15)).observe(ofSeconds(20)))
                .then(ObjectiveSet.builder()
                        .during(Phase.BASELINE, latency().p95().below(ofMillis(100)), successRate().above(99.5))
                        .during(Phase.FAULT, latency().p95().below(ofMillis(250)), successRate().above(99.5))
                        .recoversWithin(ofSeconds(10), latency().p95().below(ofMillis(100)), successRate().above(99.5))
                        .build());
    }
}
