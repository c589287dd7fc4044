package dev.gameday.timeline;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TimelineSealingTest {

    private final ManualTicker ticker = new ManualTicker();
    private final TimelineRecorder recorder = TimelineRecorder.create(ticker, Clock.systemUTC());
    private final SeriesRecorder orders = recorder.series("place order");

    @Test
    void sealingChangesNoFigure() {
        recorder.start(OfferedLoad.constant(100, ofSeconds(10)));
        for (int i = 0; i < 1_000; i++) {
            long start = ticker.at(ofMillis(i * 10L));
            orders.record(i % 50 == 0 ? Outcome.NO_RESPONSE : Outcome.SUCCESS, start, start + ofMillis(1 + i % 97).toNanos());
        }
        Window before = recorder.snapshot().window(Duration.ZERO, ofSeconds(10));

        ticker.advance(ofSeconds(20));
        recorder.seal(ofSeconds(2));
        Window after = recorder.snapshot().window(Duration.ZERO, ofSeconds(10));

        assertThat(after.latencies()).as("compressed seconds decode to the same histograms").isEqualTo(before.latencies());
        assertThat(after.count(Outcome.NO_RESPONSE)).isEqualTo(before.count(Outcome.NO_RESPONSE));
    }

    @Test
    void aRequestRecordedIntoASealedSecondIsNotLost() {
        recorder.start(OfferedLoad.constant(1, ofSeconds(30)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(100)), ticker.at(ofMillis(110)));
        ticker.advance(ofSeconds(20));
        recorder.seal(ofSeconds(5));

        orders.record(Outcome.NO_RESPONSE, ticker.at(ofMillis(200)), ticker.at(ofSeconds(20)));

        Window second0 = recorder.snapshot().window(Duration.ZERO, ofSeconds(1));
        assertThat(second0.requests()).as("the late request joins the sealed second").isEqualTo(2);
        recorder.seal(ofSeconds(5));
        assertThat(recorder.snapshot().window(Duration.ZERO, ofSeconds(1)).count(Outcome.NO_RESPONSE))
                .as("and survives the next seal").isEqualTo(1);
    }

    @Test
    void loosesNoRequestWhileSealsRunConcurrently() throws InterruptedException {
        recorder.start(OfferedLoad.constant(1_000, ofSeconds(10)));
        ticker.advance(ofSeconds(60));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread sealer = new Thread(() -> {
            while (writing.get()) {
                recorder.seal(Duration.ZERO);
            }
        });
        sealer.start();
        int threads = 3;
        int perThread = 60_000;
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long start = ticker.at(ofMillis(i % 10_000));
                    orders.record(Outcome.SUCCESS, start, start + 2_000_000);
                }
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        writing.set(false);
        sealer.join();

        assertThat(recorder.snapshot().window(Duration.ZERO, ofSeconds(10)).requests())
                .as("every request counted, though seconds were sealed under the writers' feet")
                .isEqualTo((long) threads * perThread);
    }
}
