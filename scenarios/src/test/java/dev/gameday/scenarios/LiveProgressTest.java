package dev.gameday.scenarios;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gameday.environments.TargetEvent;
import dev.gameday.timeline.OfferedLoad;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineEvent;
import dev.gameday.timeline.TimelineRecorder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveProgressTest {

    private static final long ORIGIN = 7_000_000_000L;

    private final AtomicLong now = new AtomicLong(ORIGIN);
    private final TimelineRecorder recorder = TimelineRecorder.create(now::get,
            Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC));
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final LiveProgress progress = new LiveProgress(recorder, new PrintStream(printed, true, StandardCharsets.UTF_8),
            ofSeconds(0), ofSeconds(100), ofSeconds(15));

    @Test
    void aSystemWhereEveryRequestHangsShowsAllErrorsNotNone() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(100, ofSeconds(60)));
        // seconds 0-4 healthy; from 5 s every request is sent and never answered
        for (int second = 0; second < 10; second++) {
            for (int i = 0; i < 100; i++) {
                long due = at(ofSeconds(second).plusMillis(i * 10L));
                orders.sending(due);
                if (second < 5) {
                    orders.record(Outcome.SUCCESS, due, due + ofMillis(5).toNanos());
                }
            }
        }

        now.set(at(ofMillis(6_500)));
        progress.tick(ofSeconds(5));
        now.set(at(ofMillis(11_200)));
        progress.tick(ofSeconds(5));

        assertThat(lines()).containsExactly(
                "  +  6.5 s  baseline    100.0 req/s   p99      5.0 ms   errors   0.00 % · hanging 0",
                "  + 11.2 s  baseline    100.0 req/s   p99      0.0 ms   errors 100.00 % · hanging 500");
    }

    @Test
    void aRequestInFlightForLessThanASecondIsNotHangingYet() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(100, ofSeconds(60)));
        orders.sending(at(ofMillis(3_900)));

        now.set(at(ofMillis(4_800)));
        progress.tick(ofSeconds(5));
        now.set(at(ofMillis(5_000)));
        progress.tick(ofSeconds(5));

        assertThat(lines()).extracting(line -> line.substring(line.indexOf("errors")))
                .containsExactly("errors   0.00 % · hanging 0", "errors 100.00 % · hanging 1");
    }

    @Test
    void countsHangingRequestsAsErrorsBesideTheCompletedFailures() {
        Duration length = ofSeconds(5);
        TimelineRecorder alone = TimelineRecorder.create(now::get, Clock.systemUTC());
        SeriesRecorder orders = alone.series("place order");
        alone.start(OfferedLoad.constant(10, length));
        for (int i = 0; i < 50; i++) {
            long due = at(ofMillis(i * 100L));
            orders.sending(due);
            if (i < 40) {
                orders.record(i < 30 ? Outcome.SUCCESS : Outcome.ERROR_STATUS, due, due + ofMillis(5).toNanos());
            }
        }

        assertThat(LiveProgress.line("fault", alone.window(Duration.ZERO, length), alone.inFlight(Duration.ZERO, length)))
                .as("10 failed and 10 hang of 50 started")
                .isEqualTo("fault        10.0 req/s   p99      5.0 ms   errors  40.00 % · hanging 10");
    }

    @Test
    void putsATargetsDeathOnTheTimelineAndPrintsIt() {
        recorder.series("place order");
        recorder.start(OfferedLoad.constant(100, ofSeconds(60)));
        now.set(at(ofMillis(52_300)));

        progress.target(new TargetEvent(Instant.now(), "redis", TargetEvent.Kind.OOM_KILLED, OptionalInt.empty(), true, ""));
        progress.target(new TargetEvent(Instant.now(), "redis", TargetEvent.Kind.DIED, OptionalInt.of(137), true, ""));
        progress.target(new TargetEvent(Instant.now(), "redis", TargetEvent.Kind.STARTED, OptionalInt.empty(), false,
                "restarted"));

        assertThat(recorder.snapshot().events()).extracting(TimelineEvent::kind, TimelineEvent::subject,
                TimelineEvent::detail).containsExactly(
                tuple(TimelineEvent.Kind.TARGET_OUT_OF_MEMORY, "redis", "OOM-killed"),
                tuple(TimelineEvent.Kind.TARGET_DIED, "redis", "exit code 137, OOM-killed"),
                tuple(TimelineEvent.Kind.TARGET_STARTED, "redis", "restarted"));
        assertThat(lines()).containsExactly(
                "  + 52.3 s  target 'redis' ran out of memory: OOM-killed",
                "  + 52.3 s  target 'redis' died: exit code 137, OOM-killed",
                "  + 52.3 s  target 'redis' started: restarted");
    }

    private static long at(Duration sinceOrigin) {
        return ORIGIN + sinceOrigin.toNanos();
    }

    private java.util.List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
