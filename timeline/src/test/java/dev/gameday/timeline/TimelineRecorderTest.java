package dev.gameday.timeline;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TimelineRecorderTest {

    private final ManualTicker ticker = new ManualTicker();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final TimelineRecorder recorder = TimelineRecorder.create(ticker, clock);

    @Test
    void countsARequestSentLateInTheSecondItWasDueAndKeepsBothLatencies() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        // due at 0.9 s, sent 300 ms late (the injector stalled), answered 10 ms later
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(900)), ticker.at(ofMillis(1_200)), ticker.at(ofMillis(1_210)));

        Window second0 = recorder.snapshot().window(ofSeconds(0), ofSeconds(1));
        assertThat(second0.requests()).as("counted in the second it was due, not the one it was sent in").isEqualTo(1);
        assertThat(second0.maxLatency()).as("from the intended start: what a user arriving on time saw")
                .isCloseTo(ofMillis(310), ofMillis(1));
        assertThat(second0.asSent().maxLatency()).as("from the actual send: the injector's delay left out")
                .isCloseTo(ofMillis(10), ofMillis(1));
        assertThat(second0.asSent().requests()).as("the same requests either way").isEqualTo(1);
    }

    @Test
    void neverMeasuresFromASendBeforeTheRequestWasDue() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(500)), ticker.at(ofMillis(499)), ticker.at(ofMillis(520)));

        Window second0 = recorder.snapshot().window(ofSeconds(0), ofSeconds(1));
        assertThat(second0.asSent().maxLatency()).isEqualTo(second0.maxLatency());
    }

    @Test
    void keysRequestsBySecondTheyStartedNotWhenTheyEnded() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        orders.record(Outcome.NO_RESPONSE, ticker.at(ofMillis(500)), ticker.at(ofMillis(5_500)));

        Timeline timeline = recorder.snapshot();
        assertThat(timeline.window(ofSeconds(0), ofSeconds(1)).count(Outcome.NO_RESPONSE))
                .as("a request that started in second 0 and timed out in second 5 belongs to second 0")
                .isEqualTo(1);
        assertThat(timeline.window(ofSeconds(1), ofSeconds(10)).requests()).isZero();
        assertThat(timeline.window(ofSeconds(0), ofSeconds(1)).maxLatency())
                .isCloseTo(ofSeconds(5), ofMillis(5));
    }

    @Test
    void windowsAddTheSecondsTheyCover() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(100, ofSeconds(4)));
        // seconds 0-1: 100 fast requests each; seconds 2-3: 100 requests each, 10 of them failing slowly
        for (int second = 0; second < 4; second++) {
            for (int i = 0; i < 100; i++) {
                long start = ticker.at(ofSeconds(second).plusMillis(i * 10L));
                boolean degraded = second >= 2 && i < 10;
                orders.record(degraded ? Outcome.ERROR_STATUS : Outcome.SUCCESS, start,
                        start + (degraded ? ofMillis(900) : ofMillis(5)).toNanos());
            }
        }

        Timeline timeline = recorder.snapshot();
        Window calm = timeline.window(ofSeconds(0), ofSeconds(2));
        Window degraded = timeline.window(ofSeconds(2), ofSeconds(4));

        assertThat(calm.requests()).isEqualTo(200);
        assertThat(calm.successPercent()).as("no failures before the fault").isEqualTo(100.0);
        assertThat(calm.latencyAtPercentile(95)).isCloseTo(ofMillis(5), ofMillis(1));
        assertThat(degraded.successPercent()).as("20 of 200 failed").isCloseTo(90.0, within(1e-9));
        assertThat(degraded.latencyAtPercentile(95))
                .as("10 % of requests took 900 ms, so the 95th percentile is among them")
                .isCloseTo(ofMillis(900), ofMillis(1));
        assertThat(degraded.latencyAtPercentile(50)).isCloseTo(ofMillis(5), ofMillis(1));
        assertThat(degraded.requestRate()).isEqualTo(100.0);
        assertThat(degraded.successRate()).isEqualTo(90.0);
    }

    @Test
    void windowsAreWidenedToWholeSeconds() {
        SeriesRecorder orders = recorder.series("read order");
        recorder.start(OfferedLoad.constant(1, ofSeconds(3)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(1_100)), ticker.at(ofMillis(1_102)));

        Window window = recorder.snapshot().window(ofMillis(1_500), ofMillis(1_700));

        assertThat(window.from()).isEqualTo(ofSeconds(1));
        assertThat(window.to()).isEqualTo(ofSeconds(2));
        assertThat(window.requests()).isEqualTo(1);
    }

    @Test
    void separatesSeries() {
        SeriesRecorder place = recorder.series("place order");
        SeriesRecorder read = recorder.series("read order");
        recorder.start(OfferedLoad.constant(2, ofSeconds(1)));
        place.record(Outcome.SUCCESS, ticker.at(ofMillis(10)), ticker.at(ofMillis(40)));
        read.record(Outcome.ERROR_STATUS, ticker.at(ofMillis(20)), ticker.at(ofMillis(22)));

        Timeline timeline = recorder.snapshot();

        assertThat(timeline.series()).containsExactly("place order", "read order");
        assertThat(timeline.window(Duration.ZERO, ofSeconds(1), "place order").successPercent()).isEqualTo(100.0);
        assertThat(timeline.window(Duration.ZERO, ofSeconds(1), "read order").successPercent()).isEqualTo(0.0);
        assertThat(timeline.window(Duration.ZERO, ofSeconds(1)).requests()).isEqualTo(2);
        assertThatThrownBy(() -> timeline.window(Duration.ZERO, ofSeconds(1), "cancel order"))
                .hasMessage("Timeline has no series 'cancel order'; it has [place order, read order].");
    }

    @Test
    void liveWindowSeesWhatTheSnapshotWillSee() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(1, ofSeconds(5)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(3_200)), ticker.at(ofMillis(3_230)));

        Window live = recorder.window(ofSeconds(3), ofSeconds(4));

        assertThat(live.requests()).isEqualTo(1);
        assertThat(live.latencyAtPercentile(99)).isCloseTo(ofMillis(30), ofMillis(1));
    }

    @Test
    void countsEveryRequestRecordedConcurrently() throws InterruptedException {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(1_000, ofSeconds(10)));
        int threads = 4;
        int perThread = 25_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    long start = ticker.at(ofMillis(i % 10_000));
                    orders.record(i % 100 == 0 ? Outcome.NO_RESPONSE : Outcome.SUCCESS, start, start + 1_000_000);
                }
            });
            writer.start();
            writers.add(writer);
        }
        go.countDown();
        for (Thread writer : writers) {
            writer.join();
        }

        Window all = recorder.snapshot().window(Duration.ZERO, ofSeconds(10));
        assertThat(all.requests()).as("no request lost between racing threads").isEqualTo((long) threads * perThread);
        assertThat(all.count(Outcome.NO_RESPONSE)).isEqualTo((long) threads * perThread / 100);
    }

    @Test
    void recordsEventsAtTheirElapsedTime() {
        recorder.start(OfferedLoad.constant(1, ofSeconds(60)));
        ticker.advance(ofSeconds(20));
        recorder.event(TimelineEvent.Kind.FAULT_ACTIVE, "redis-timeout", "PING unanswered");

        Timeline timeline = recorder.snapshot();

        assertThat(timeline.first(TimelineEvent.Kind.FAULT_ACTIVE)).hasValueSatisfying(event -> {
            assertThat(event.at()).isEqualTo(ofSeconds(20));
            assertThat(event.subject()).isEqualTo("redis-timeout");
        });
        assertThat(timeline.startedAt()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
        assertThat(timeline.end()).isEqualTo(ofSeconds(60));
    }

    @Test
    void refusesSeriesRegisteredAfterStart() {
        recorder.start(OfferedLoad.constant(1, ofSeconds(1)));

        assertThatThrownBy(() -> recorder.series("late"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Timeline recorder: series 'late' must be registered before start(); register every request series first.");
    }

    @Test
    void refusesRecordingBeforeStart() {
        SeriesRecorder orders = recorder.series("place order");

        assertThatThrownBy(() -> orders.record(Outcome.SUCCESS, 0, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start the recorder before the load");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
