package dev.gameday.timeline;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimelineLogTest {

    @Test
    void roundTripsEveryIntervalWithoutLoss() {
        ManualTicker ticker = new ManualTicker();
        TimelineRecorder recorder = TimelineRecorder.create(ticker,
                Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));
        SeriesRecorder place = recorder.series("place order");
        SeriesRecorder read = recorder.series("read order, by id");
        recorder.start(OfferedLoad.constant(50, ofSeconds(3)));
        for (int i = 0; i < 150; i++) {
            long start = ticker.at(ofMillis(i * 20L));
            long sent = start + ofMillis(i % 3).toNanos();
            place.record(i % 7 == 0 ? Outcome.ERROR_STATUS : Outcome.SUCCESS, start, sent, sent + ofMillis(3 + i % 40).toNanos());
            read.record(Outcome.SUCCESS, start, start + ofMillis(1 + i % 5).toNanos());
        }
        Timeline original = recorder.snapshot();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TimelineLog.write(original, out);
        Timeline copy = TimelineLog.read(new ByteArrayInputStream(out.toByteArray()));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Tag=place+order/SUCCESS", "Tag=place+order/SENT");
        assertThat(copy.series()).containsExactly("place order", "read order, by id");
        assertThat(copy.startedAt()).isEqualTo(original.startedAt());
        for (int second = 0; second < 3; second++) {
            Duration from = ofSeconds(second);
            Duration to = ofSeconds(second + 1);
            for (String series : original.series()) {
                Window before = original.window(from, to, series);
                Window after = copy.window(from, to, series);
                assertThat(after.latencies()).as("second %d of %s", second, series).isEqualTo(before.latencies());
                assertThat(after.asSent().latencies()).as("from the send, second %d of %s", second, series)
                        .isEqualTo(before.asSent().latencies());
                assertThat(after.count(Outcome.ERROR_STATUS)).isEqualTo(before.count(Outcome.ERROR_STATUS));
            }
        }
    }
}
