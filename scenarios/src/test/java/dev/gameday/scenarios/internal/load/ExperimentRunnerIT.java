package dev.gameday.scenarios.internal.load;

import static io.gatling.javaapi.http.HttpDsl.http;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.environments.Endpoint;
import dev.gameday.environments.Environment;
import dev.gameday.environments.Protocol;
import dev.gameday.environments.Target;
import dev.gameday.environments.TargetEvent;
import dev.gameday.faults.AppliedState;
import dev.gameday.faults.Disruption;
import dev.gameday.faults.Fault;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.timeline.TimelineEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against a loopback HTTP server posing as an environment whose one target "dies" during the fault: the
 * death is on the timeline and next to the verdict, and the runner stops watching on every path.
 */
class ExperimentRunnerIT {

    @TempDir
    Path results;

    @Test
    void putsATargetDeathOnTheTimelineAndNextToTheVerdictAndStopsWatching() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer()) {
            Watched environment = new Watched(server, ofSeconds(7));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            ExperimentResult result = runner(printed).run(experiment(), environment);

            List<TimelineEvent> died = result.report().timeline().events().stream()
                    .filter(event -> event.kind() == TimelineEvent.Kind.TARGET_DIED).toList();
            assertThat(died).singleElement().satisfies(event -> {
                assertThat(event.subject()).isEqualTo("api");
                assertThat(event.detail()).isEqualTo("exit code 137, OOM-killed");
            });
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output).as("printed as it happens").contains("target 'api' died: exit code 137, OOM-killed");
            assertThat(output.lines().filter(line -> line.startsWith("VERDICT:")).findFirst().orElseThrow())
                    .contains("; target 'api' died at +7");
            assertThat(output).contains("errors", "· hanging ");
            assertThat(environment.watching).as("no longer watched once the run is over").isFalse();
            assertThat(environment.watched).isTrue();
        }
    }

    @Test
    void stopsWatchingWhenTheRunFailsAfterTheLoadStarted() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer()) {
            // when the target dies, something takes the place of the summary: writing the reports fails at the end
            Watched environment = new Watched(server, ofSeconds(7)) {
                @Override
                void died() {
                    try (var runs = java.nio.file.Files.list(results)) {
                        runs.forEach(run -> run.resolve("summary.json").toFile().mkdirs());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };

            assertThatThrownBy(() -> runner(new ByteArrayOutputStream()).run(experiment(), environment))
                    .hasMessageContaining("Could not write the reports");
            assertThat(environment.watched).isTrue();
            assertThat(environment.watching).as("no longer watched after the run failed").isFalse();
        }
    }

    private ExperimentRunner runner(ByteArrayOutputStream printed) {
        return ExperimentRunner.create().resultsIn(results).progressEvery(ofSeconds(2))
                .printingTo(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private static Experiment experiment() {
        AtomicBoolean applied = new AtomicBoolean();
        Disruption flag = new Disruption() {
            @Override
            public String describe() {
                return "a flag";
            }

            @Override
            public void apply(AppliedState injection) {
                applied.set(true);
            }

            @Override
            public void revert(AppliedState injection) {
                applied.set(false);
            }

            @Override

            public AppliedState prepare() {
                return AppliedState.of("test");
            }


            @Override
            public Observation observe(AppliedState injection) {
                return new Observation(applied.get() ? Observation.Effect.IN_EFFECT : Observation.Effect.NOT_IN_EFFECT,
                        "flag " + applied.get());
            }
        };
        return Experiment.named("watched", "a target dies during the fault")
                .given(() -> { throw new AssertionError("the test starts the environment"); })
                .when(ledger -> List.of(new TrafficRequest("ok", 1.0, () -> http("ok").get("/ok"), Set.of(200),
                        Optional.empty())), OpenLoad.ratePerSecond(20).withWarmup(ofSeconds(1)))
                .inject(environment -> Fault.of("flag", flag),
                        FaultSchedule.baseline(ofSeconds(5)).fault(ofSeconds(3)).observe(ofSeconds(3)))
                .then(ObjectiveSet.builder().during(Phase.FAULT, Criteria.successRate().above(50)).build());
    }

    /** The loopback server as an environment with one target, whose watch reports it dead after a while. */
    private static class Watched implements Environment {
        private final LocalHttpServer server;
        private final java.time.Duration diesAfter;
        volatile boolean watching;
        volatile boolean watched;

        Watched(LocalHttpServer server, java.time.Duration diesAfter) {
            this.server = server;
            this.diesAfter = diesAfter;
        }

        @Override
        public String name() {
            return "loopback";
        }

        @Override
        public List<Target> targets() {
            return List.of(new Target("api", Protocol.HTTP, new Endpoint("127.0.0.1", server.uri().getPort()),
                    Optional.empty(), Optional.empty()));
        }

        @Override
        public Target entryPoint() {
            return targets().get(0);
        }

        @Override
        public AutoCloseable watch(Consumer<TargetEvent> listener) {
            watching = true;
            watched = true;
            Thread dies = new Thread(() -> {
                try {
                    Thread.sleep(diesAfter.toMillis());
                    if (watching) {
                        listener.accept(new TargetEvent(Instant.now(), "api", TargetEvent.Kind.DIED, OptionalInt.of(137),
                                true, ""));
                        died();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            dies.setDaemon(true);
            dies.start();
            return () -> {
                watching = false;
                dies.interrupt();
            };
        }

        void died() {
        }

        @Override
        public void close() {
        }
    }
}
