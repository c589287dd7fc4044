package dev.gameday.scenarios.internal.journal;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.Evidence;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.assertions.Verdict;
import dev.gameday.reports.RunReport;
import dev.gameday.timeline.InjectorSample;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineEvent.Kind;
import dev.gameday.timeline.TimelineRecorder;
import dev.gameday.timeline.TransportError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run streamed to disk on a hand-driven clock, read back complete, and read back after dying half-way. */
class RunRecordTest {

    private static final Duration WARMUP = ofSeconds(5);
    private static final ObjectiveSet OBJECTIVES = ObjectiveSet.builder()
            .requiring(Evidence.atLeast(50, ofSeconds(3)))
            .during(Phase.BASELINE, Criteria.latency().p95().below(ofMillis(100)), Criteria.successRate().above(99.5))
            .during(Phase.FAULT, Criteria.latency().p99().below(ofMillis(500)), Criteria.throughput().atLeast(50))
            .recoversWithin(ofSeconds(10), Criteria.latency().p95().below(ofMillis(100)))
            .during(Phase.AFTER, Criteria.successRate().above(99.5),
                    Criteria.serverMetric("heap").growthPerMinute().atMost(8e6))
            .acknowledgedWritesDurable()
            .build();
    private static final Optional<DurabilityEvidence> FOUND =
            Optional.of(new DurabilityEvidence("orders table", 1_000, 0, List.of()));

    @TempDir
    Path directory;

    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private final TimelineRecorder recorder = TimelineRecorder.create(now::get, Clock.systemUTC());
    private final SeriesRecorder orders = recorder.series("place order");
    /** Whether seconds 21-29 of the fault have failures: 2 a second get 503, 1 a second times out. */
    private boolean failing;

    @Test
    void readsBackACompleteRunWithTheVerdictTheRunHad() {
        try (RunJournal journal = RunJournal.open(directory)) {
            runUntil(journal, 60);
            journal.finished(FOUND);
        }
        Evaluation original = Evaluator.evaluate(recorder.snapshot(), OBJECTIVES, WARMUP, FOUND);

        RunReport read = RunRecord.read(directory);

        assertThat(original.verdict()).as(original.headline()).isEqualTo(Verdict.PASSED);
        assertThat(read.evaluation().verdict()).as(read.evaluation().headline()).isEqualTo(Verdict.PASSED);
        assertThat(read.evaluation().results()).extracting(Object::toString)
                .as("every objective decided as the run decided it")
                .isEqualTo(original.results().stream().map(Object::toString).toList());
        assertThat(read.experiment()).isEqualTo("redis-timeouts");
        assertThat(read.parameters()).containsEntry("load", "100 requests/s, open model");
        assertThat(read.timeline().events()).extracting(e -> e.kind()).contains(Kind.FAULT_ACTIVE, Kind.FAULT_RESTORED);
    }

    @Test
    void readsBackARunThatDiedHalfWayAsAPartialRecordThatNeverPasses() {
        RunJournal journal = RunJournal.open(directory);
        runUntil(journal, 38); // killed during the fault: no end, no durability, journal never closed

        RunReport read = RunRecord.read(directory);

        assertThat(read.evaluation().verdict()).as("a partial record is never a pass").isEqualTo(Verdict.INVALID);
        assertThat(read.evaluation().invalidity()).first().asString().startsWith("The record of this run ends at 38 s:"
                + " the run stopped before it finished (the harness was killed, or the machine died): 38 s of the 60 s"
                + " planned were recorded.");
        assertThat(read.evaluation().phase(Phase.BASELINE).orElseThrow().total().requests())
                .as("what was measured before it died is all there").isEqualTo(1_500);
        assertThat(read.evaluation().invalidity()).as("no blame on the injector for load that was never due")
                .noneMatch(reason -> reason.startsWith("The load generator started"));
    }

    @Test
    void aKilledRunStillSaysWhatItsFailuresWere() {
        RunJournal journal = RunJournal.open(directory);
        failing = true;
        runUntil(journal, 38); // killed during the fault

        RunReport read = RunRecord.read(directory);

        assertThat(read.evaluation().phase(Phase.FAULT).orElseThrow().total().failureCounts())
                .extracting(Object::toString)
                .as("sealed seconds 21-29 of the fault: 2 requests a second got 503, 1 timed out")
                .containsExactly("503 ×18", "timeout ×9");
        assertThat(dev.gameday.reports.ConsoleReport.unicode().render(read))
                .contains("failures: 503 ×18 · timeout ×9");
    }

    @Test
    void aCompleteRunWritesTheFailuresThatCameAfterTheirSecondWasSealed() {
        try (RunJournal journal = RunJournal.open(directory)) {
            failing = true;
            runUntil(journal, 60);
            // a request due at 25 s that timed out only after its second was sealed and written
            long due = recorder.readingAt(ofSeconds(25));
            orders.recordNoResponse(TransportError.TIMEOUT, null, due, due, now.get());
            journal.failures(recorder.snapshot().intervals());
            journal.finished(FOUND);
        }

        RunReport read = RunRecord.read(directory);

        assertThat(read.timeline().window(ofSeconds(25), ofSeconds(26)).failureBreakdown().count(TransportError.TIMEOUT))
                .isEqualTo(2);
        assertThat(read.timeline().window(ofSeconds(0), ofSeconds(60)).failureCounts()).extracting(Object::toString)
                .containsExactly("503 ×18", "timeout ×10");
    }

    @Test
    void leavesOutALastLineCutOffByADyingProcess() throws IOException {
        RunJournal journal = RunJournal.open(directory);
        runUntil(journal, 30);
        Files.writeString(directory.resolve(RunJournal.FILE_NAME), "{\"type\":\"event\",\"atNa",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        RunReport read = RunRecord.read(directory);

        assertThat(read.evaluation().verdict()).isEqualTo(Verdict.INVALID);
        assertThat(read.evaluation().invalidity()).first().asString().startsWith("The record of this run ends at 30 s");
    }

    @Test
    void saysWhatIsMissingWhenTheDirectoryHasNoJournal() {
        assertThatThrownBy(() -> RunRecord.read(directory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("expected a results directory written by 'gameday run', with a journal.jsonl,"
                        + " but found none in " + directory.toAbsolutePath());
    }

    /** 100 requests/s of 5 ms each, a fault from 20.4 s to 30.3 s, sealed every 5 s as the runner does. */
    private void runUntil(RunJournal journal, int seconds) {
        recorder.listener(journal);
        recorder.start(OfferedLoad.constant(100, ofSeconds(60)));
        journal.started(new RunJournal.Definition("redis-timeouts", "demo-trading-system", "Redis hangs",
                Map.of("load", "100 requests/s, open model"), WARMUP, OBJECTIVES), recorder);
        long origin = now.get();
        for (int second = 0; second < seconds; second++) {
            for (int i = 0; i < 100; i++) {
                long due = origin + ofSeconds(second).toNanos() + i * 10_000_000L;
                if (failing && second > 20 && second < 30 && i < 2) {
                    orders.recordErrorStatus(503, due, due, due + ofMillis(5).toNanos());
                } else if (failing && second > 20 && second < 30 && i == 2) {
                    orders.recordNoResponse(TransportError.TIMEOUT, null, due, due, due + ofMillis(900).toNanos());
                } else {
                    orders.record(Outcome.SUCCESS, due, due, due + ofMillis(5).toNanos());
                }
            }
            now.set(origin + ofSeconds(second + 1).toNanos());
            // a garbage-collected heap: a sawtooth on a flat floor
            recorder.serverSample("heap", java.util.OptionalDouble.of(50e6 + (second % 3) * 5e6));
            recorder.injector(new InjectorSample(ofSeconds(second + 1), ofMillis(1), Duration.ZERO, 100, 20_000));
            at(origin, second, 20_400, Kind.FAULT_INJECTING);
            at(origin, second, 20_450, Kind.FAULT_ACTIVE);
            at(origin, second, 30_300, Kind.FAULT_RESTORING);
            at(origin, second, 30_350, Kind.FAULT_RESTORED);
            if (second % 5 == 4) {
                journal.append(recorder.seal(ofSeconds(2)));
            }
        }
        journal.append(recorder.seal(Duration.ZERO));
    }

    private void at(long origin, int second, long millis, Kind kind) {
        if (millis / 1_000 == second) {
            long saved = now.get();
            now.set(origin + ofMillis(millis).toNanos());
            recorder.event(kind, "redis-timeout", "");
            now.set(saved);
        }
    }
}
