package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class FaultTest {

    private final List<String> calls = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();

    @Test
    void verifiesTheEffectBeforeReportingTheFaultActive() {
        Fault fault = Fault.of("redis-timeout", new InMemoryDisruption());

        try (ActiveFault active = fault.inject(listener)) {
            assertThat(active.state()).isEqualTo(FaultState.ACTIVE);
            assertThat(calls).containsExactly("prepare", "apply");
        }

        assertThat(calls).containsExactly("prepare", "apply", "revert");
        assertThat(listener.events).containsExactly("injecting redis-timeout", "active redis-timeout: degraded",
                "restoring redis-timeout", "restored redis-timeout: healthy");
    }

    @Test
    void aUsersCheckMustAgreeBeforeTheFaultCountsAsActive() {
        boolean[] systemSeesIt = {false};
        InMemoryDisruption backend = new InMemoryDisruption();
        Fault fault = Fault.of("redis-timeout", backend)
                .confirmedBy("orders bypass the cache", () -> backend.applied && systemSeesIt[0]
                        ? Disruption.Observation.inEffect("cache bypassed")
                        : Disruption.Observation.notInEffect("cache used"))
                .verifiedWithin(Duration.ofMillis(300));

        assertThatThrownBy(() -> fault.inject(listener))
                .as("the backend sees its effect, the user's check does not: not verified")
                .hasMessageContaining("its effect did not show within 300 ms; last observation (inconclusive): degraded;"
                        + " orders bypass the cache: cache used (the two disagree)");
        assertThat(calls).containsExactly("prepare", "apply", "revert");

        systemSeesIt[0] = true;
        ActiveFault active = fault.inject(listener);
        assertThat(listener.events).contains("active redis-timeout: degraded; orders bypass the cache: cache bypassed");
        active.close();
        assertThat(active.state()).isEqualTo(FaultState.RESTORED);
    }

    @Test
    void closingTwiceRevertsOnce() {
        ActiveFault active = Fault.of("redis-timeout", new InMemoryDisruption()).inject();

        active.close();
        active.close();

        assertThat(calls).containsOnlyOnce("revert");
        assertThat(active.state()).isEqualTo(FaultState.RESTORED);
    }

    @Test
    void revertsAndReportsWhenTheEffectNeverShows() {
        InMemoryDisruption noEffect = new InMemoryDisruption() {
            @Override
            public Observation observe(AppliedState injection) {
                return Observation.notInEffect("healthy");
            }
        };
        Fault fault = Fault.of("redis-timeout", noEffect).verifiedWithin(Duration.ofMillis(200));

        assertThatThrownBy(() -> fault.inject(listener))
                .isInstanceOf(FaultException.class)
                .hasMessageStartingWith("Fault 'redis-timeout' could not be injected: its effect did not show within 200 ms")
                .hasMessageEndingWith("Check that the target is running and reachable from the harness.");
        assertThat(calls).as("what was applied is reverted").containsExactly("prepare", "apply", "revert");
        assertThat(listener.events).last().asString().startsWith("injection failed redis-timeout");
    }

    @Test
    void refusesToInjectWhenTheTargetDoesNotAnswerBeforeTheFault() {
        InMemoryDisruption silentTarget = new InMemoryDisruption() {
            @Override
            public Observation observe(AppliedState injection) {
                return applied ? Observation.inEffect("no answer") : Observation.inEffect("no answer within 500 ms");
            }
        };
        Fault fault = Fault.of("redis-timeout", silentTarget);

        assertThatThrownBy(() -> fault.inject(listener))
                .isInstanceOf(FaultException.class)
                .hasMessage("Fault 'redis-timeout' could not be injected: the target did not answer normally before"
                        + " the fault (no answer within 500 ms), so a fault on it would prove nothing. Nothing"
                        + " was applied. Check that the target is running and healthy, that its proxy is enabled and"
                        + " forwards to it, and that no other fault is applied to it.");
        assertThat(calls).as("nothing is applied, so nothing is reverted").containsExactly("prepare");
        assertThat(listener.events).containsExactly("injecting redis-timeout", "injection failed redis-timeout: the"
                + " target did not answer normally before the fault (no answer within 500 ms), so a fault on"
                + " it would prove nothing");
    }

    @Test
    void anInconclusiveObservationBeforeTheFaultIsNoHealthyAnswer() {
        Fault fault = Fault.of("redis-latency", new LatencyLikeDisruption(Answer.SILENT, Answer.SLOW, Answer.FAST));

        assertThatThrownBy(() -> fault.inject(listener))
                .hasMessageStartingWith("Fault 'redis-latency' could not be injected: the target did not answer"
                        + " normally before the fault (no answer: neither slow nor fast)");
        assertThat(calls).containsExactly("prepare");
    }

    @Test
    void silenceDoesNotVerifyALatencyFault() {
        Fault fault = Fault.of("redis-latency", new LatencyLikeDisruption(Answer.FAST, Answer.SILENT, Answer.FAST))
                .verifiedWithin(Duration.ofMillis(200));

        assertThatThrownBy(() -> fault.inject(listener))
                .isInstanceOf(FaultException.class)
                .hasMessage("Fault 'redis-latency' could not be injected: its effect did not show within 200 ms; last"
                        + " observation (inconclusive): no answer: neither slow nor fast. Check that the target is"
                        + " running and reachable from the harness.");
        assertThat(calls).containsExactly("prepare", "apply", "revert");
    }

    @Test
    void aSlowAnswerVerifiesALatencyFaultAndOnlyAFastAnswerItsRevert() {
        Fault fault = Fault.of("redis-latency", new LatencyLikeDisruption(Answer.FAST, Answer.SLOW, Answer.FAST));

        fault.inject(listener).close();

        assertThat(listener.events).containsExactly("injecting redis-latency", "active redis-latency: answered slowly",
                "restoring redis-latency", "restored redis-latency: answered fast");
    }

    @Test
    void silenceDoesNotVerifyTheRevertOfALatencyFault() {
        Fault fault = Fault.of("redis-latency", new LatencyLikeDisruption(Answer.FAST, Answer.SLOW, Answer.SILENT))
                .verifiedWithin(Duration.ofMillis(200));
        ActiveFault active = fault.inject(listener);

        assertThatThrownBy(active::close)
                .isInstanceOf(FaultException.class)
                .hasMessage("Fault 'redis-latency' could not be reverted: its revert did not show within 200 ms; last"
                        + " observation (inconclusive): no answer: neither slow nor fast. The environment may still be"
                        + " degraded: in-memory degradation. Revert it by hand, restart the environment, or run 'gameday cleanup' once this process has ended.");
        assertThat(active.state()).isEqualTo(FaultState.RESTORE_FAILED);
    }

    @Test
    void theMinimumDurationIsTwoObservationsButNeverBelowOneSecond() {
        assertThat(Fault.of("slow-probe", new ObservedFor(Duration.ofMillis(800))).minimumDuration())
                .isEqualTo(Duration.ofMillis(1_600));
        assertThat(Fault.of("quick-probe", new ObservedFor(Duration.ofMillis(100))).minimumDuration())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(Fault.of("instant", new InMemoryDisruption()).minimumDuration())
                .as("a backend that declares no observation time").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aVerificationDeadlineShorterThanTheTimeoutBoundsTheWaitForTheEffect() {
        Fault fault = Fault.of("redis-timeout", new NoEffect());

        assertThatThrownBy(() -> fault.inject(listener, Duration.ofMillis(150)))
                .hasMessageStartingWith("Fault 'redis-timeout' could not be injected: its effect did not show within"
                        + " 150 ms; last observation (not in effect): healthy");
        assertThat(calls).containsExactly("prepare", "apply", "revert");
    }

    @Test
    void theVerificationTimeoutStillBoundsTheWaitWhenTheDeadlineIsLater() {
        Fault fault = Fault.of("redis-timeout", new NoEffect()).verifiedWithin(Duration.ofMillis(150));

        assertThatThrownBy(() -> fault.inject(listener, Duration.ofSeconds(30)))
                .hasMessageStartingWith("Fault 'redis-timeout' could not be injected: its effect did not show within"
                        + " 150 ms");
    }

    @Test
    void theDeadlineHoldsEvenWhenAnObservationHangs() {
        CountDownLatch never = new CountDownLatch(1);
        InMemoryDisruption hanging = new InMemoryDisruption() {
            @Override
            public Observation observe(AppliedState injection) throws Exception {
                if (applied) {
                    never.await();
                }
                return super.observe(injection);
            }
        };
        long start = System.nanoTime();

        assertThatThrownBy(() -> Fault.of("redis-timeout", hanging).inject(listener, Duration.ofMillis(200)))
                .hasMessageStartingWith("Fault 'redis-timeout' could not be injected: its effect did not show within"
                        + " 200 ms: no observation finished in that time");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("injection gave up on schedule")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(calls).as("what was applied is reverted").containsExactly("prepare", "apply", "revert");
    }

    @Test
    void rejectsANonPositiveVerificationDeadline() {
        Fault fault = Fault.of("redis-timeout", new InMemoryDisruption());

        assertThatThrownBy(() -> fault.inject(listener, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Fault 'redis-timeout': the time to verify its effect must be > 0, but was PT0S. Pass the"
                        + " time the schedule allows, such as Duration.ofSeconds(5).");
        assertThat(calls).isEmpty();
    }

    @Test
    void aFaultHasATrafficMeterOnlyWhereItsBackendCounts() {
        TrafficMeter meter = new TrafficMeter() {
            @Override
            public String describe() {
                return "bytes sent into the in-memory proxy";
            }

            @Override
            public long bytesSoFar() {
                return 42;
            }
        };
        InMemoryDisruption counting = new InMemoryDisruption() {
            @Override
            public Optional<TrafficMeter> trafficMeter() {
                return Optional.of(meter);
            }
        };

        assertThat(Fault.of("counted", counting).trafficMeter()).containsSame(meter);
        assertThat(Fault.of("uncounted", new InMemoryDisruption()).trafficMeter()).isEmpty();
    }

    @Test
    void aFailedRevertLeavesTheFaultRestoreFailedAndCanBeRetried() {
        InMemoryDisruption stubborn = new InMemoryDisruption() {
            int attempts;

            @Override
            public void revert(AppliedState injection) throws Exception {
                super.revert(injection);
                if (++attempts == 1) {
                    throw new java.io.IOException("Toxiproxy API refused the connection");
                }
            }
        };
        ActiveFault active = Fault.of("redis-timeout", stubborn).inject(listener);

        assertThatThrownBy(active::close)
                .isInstanceOf(FaultException.class)
                .hasMessage("Fault 'redis-timeout' could not be reverted: Toxiproxy API refused the connection."
                        + " The environment may still be degraded: in-memory degradation. Revert it by hand, restart"
                        + " the environment, or run 'gameday cleanup' once this process has ended.");
        assertThat(active.state()).isEqualTo(FaultState.RESTORE_FAILED);

        active.close();

        assertThat(active.state()).as("a second close retries the revert").isEqualTo(FaultState.RESTORED);
    }

    @Test
    void aFaultSetRevertsNewestFirstAndReportsEveryFailure() {
        FaultSet set = new FaultSet();
        set.add(Fault.of("first", new FailingRevert("first")).inject());
        set.add(Fault.of("second", new InMemoryDisruption()).inject());
        set.add(Fault.of("third", new FailingRevert("third")).inject());

        assertThatThrownBy(set::close)
                .hasMessageContaining("Fault 'third' could not be reverted")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().extracting(Throwable::getMessage)
                        .asString().contains("Fault 'first' could not be reverted"));
        assertThat(calls).containsSubsequence("revert third", "revert", "revert first");
    }

    @Test
    void refusesIllegalStateTransitionsNamingTheFault() {
        ActiveFault active = Fault.of("redis-timeout", new InMemoryDisruption()).inject();
        active.close();

        assertThatThrownBy(() -> active.moveTo(FaultState.ACTIVE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Fault 'redis-timeout' cannot move from RESTORED to ACTIVE.");
    }

    @Test
    void rejectsNamesThatWouldNotSurviveAToxicNameOrAReport() {
        assertThatThrownBy(() -> Fault.of("Redis Timeout", new InMemoryDisruption()))
                .hasMessage("Fault name must be lower-case letters, digits and dashes, such as 'redis-timeout',"
                        + " but was 'Redis Timeout'.");
    }

    /** A disruption whose effect is a flag: a stand-in for a backend, to test the life cycle without Docker. */
    private class InMemoryDisruption implements Disruption {
        boolean applied;

        @Override
        public String describe() {
            return "in-memory degradation";
        }

        @Override
        public void apply(AppliedState injection) {
            calls.add("apply");
            applied = true;
        }

        @Override
        public void revert(AppliedState injection) throws Exception {
            calls.add("revert");
            applied = false;
        }

        @Override
        public Observation observe(AppliedState injection) throws Exception {
            return applied ? Observation.inEffect("degraded") : Observation.notInEffect("healthy");
        }

        @Override
        public AppliedState prepare() {
            calls.add("prepare");
            return AppliedState.of("in-memory");
        }
    }

    private enum Answer { FAST, SLOW, SILENT }

    /** Answers as a latency probe would: before the fault, while applied, and after the revert. */
    private final class LatencyLikeDisruption extends InMemoryDisruption {
        private final Answer before;
        private final Answer during;
        private final Answer after;
        private boolean reverted;

        LatencyLikeDisruption(Answer before, Answer during, Answer after) {
            this.before = before;
            this.during = during;
            this.after = after;
        }

        @Override
        public void revert(AppliedState injection) throws Exception {
            super.revert(injection);
            reverted = true;
        }

        @Override
        public Observation observe(AppliedState injection) {
            return switch (applied ? during : reverted ? after : before) {
                case FAST -> Observation.notInEffect("answered fast");
                case SLOW -> Observation.inEffect("answered slowly");
                case SILENT -> Observation.inconclusive("no answer: neither slow nor fast");
            };
        }
    }

    private final class NoEffect extends InMemoryDisruption {
        @Override
        public Observation observe(AppliedState injection) {
            return Observation.notInEffect("healthy");
        }
    }

    private final class ObservedFor extends InMemoryDisruption {
        private final Duration observationTime;

        ObservedFor(Duration observationTime) {
            this.observationTime = observationTime;
        }

        @Override
        public Duration observationTime() {
            return observationTime;
        }
    }

    private final class FailingRevert extends InMemoryDisruption {
        private final String name;

        FailingRevert(String name) {
            this.name = name;
        }

        @Override
        public void revert(AppliedState injection) throws Exception {
            calls.add("revert " + name);
            throw new IllegalStateException("cannot revert " + name);
        }
    }

    private static final class RecordingListener implements FaultListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void injecting(String fault, String description) {
            events.add("injecting " + fault);
        }

        @Override
        public void active(String fault, String evidence) {
            events.add("active " + fault + ": " + evidence);
        }

        @Override
        public void injectionFailed(String fault, String reason) {
            events.add("injection failed " + fault + ": " + reason);
        }

        @Override
        public void restoring(String fault) {
            events.add("restoring " + fault);
        }

        @Override
        public void restored(String fault, String evidence) {
            events.add("restored " + fault + ": " + evidence);
        }

        @Override
        public void restoreFailed(String fault, String reason) {
            events.add("restore failed " + fault);
        }
    }
}
