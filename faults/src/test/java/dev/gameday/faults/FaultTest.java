package dev.gameday.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {

    private final List<String> calls = new ArrayList<>();
    private final RecordingListener listener = new RecordingListener();

    @Test
    void verifiesTheEffectBeforeReportingTheFaultActive() {
        Fault fault = Fault.of("redis-timeout", new InMemoryDisruption());

        try (ActiveFault active = fault.inject(listener)) {
            assertThat(active.state()).isEqualTo(FaultState.ACTIVE);
            assertThat(calls).containsExactly("leftovers", "apply");
        }

        assertThat(calls).containsExactly("leftovers", "apply", "revert");
        assertThat(listener.events).containsExactly("injecting redis-timeout", "active redis-timeout: degraded",
                "restoring redis-timeout", "restored redis-timeout: healthy");
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
            public Observation observe() {
                return Observation.notInEffect("healthy");
            }
        };
        Fault fault = Fault.of("redis-timeout", noEffect).verifiedWithin(Duration.ofMillis(200));

        assertThatThrownBy(() -> fault.inject(listener))
                .isInstanceOf(FaultException.class)
                .hasMessageStartingWith("Fault 'redis-timeout' could not be injected: its effect did not show within 200 ms")
                .hasMessageEndingWith("Check that the target is running and reachable from the harness.");
        assertThat(calls).as("what was applied is reverted").containsExactly("leftovers", "apply", "revert");
        assertThat(listener.events).last().asString().startsWith("injection failed redis-timeout");
    }

    @Test
    void aFailedRevertLeavesTheFaultRestoreFailedAndCanBeRetried() {
        InMemoryDisruption stubborn = new InMemoryDisruption() {
            int attempts;

            @Override
            public void revert() throws Exception {
                super.revert();
                if (++attempts == 1) {
                    throw new java.io.IOException("Toxiproxy API refused the connection");
                }
            }
        };
        ActiveFault active = Fault.of("redis-timeout", stubborn).inject(listener);

        assertThatThrownBy(active::close)
                .isInstanceOf(FaultException.class)
                .hasMessage("Fault 'redis-timeout' could not be reverted: Toxiproxy API refused the connection."
                        + " The environment may still be degraded: in-memory degradation. Revert it by hand, or restart"
                        + " the environment.");
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
        private boolean applied;

        @Override
        public String describe() {
            return "in-memory degradation";
        }

        @Override
        public void apply() {
            calls.add("apply");
            applied = true;
        }

        @Override
        public void revert() throws Exception {
            calls.add("revert");
            applied = false;
        }

        @Override
        public Observation observe() {
            return applied ? Observation.inEffect("degraded") : Observation.notInEffect("healthy");
        }

        @Override
        public void removeLeftovers() {
            calls.add("leftovers");
        }
    }

    private final class FailingRevert extends InMemoryDisruption {
        private final String name;

        FailingRevert(String name) {
            this.name = name;
        }

        @Override
        public void revert() throws Exception {
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
