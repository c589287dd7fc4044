package dev.gameday.timeline;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureBreakdownTest {

    private final ManualTicker ticker = new ManualTicker();
    private final TimelineRecorder recorder = TimelineRecorder.create(ticker,
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void keepsEachErrorStatusAndEachKindOfMissingResponsePerSeriesAndSecond() {
        SeriesRecorder orders = recorder.series("place order");
        SeriesRecorder reads = recorder.series("read order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        for (int i = 0; i < 3; i++) {
            orders.recordErrorStatus(503, ticker.at(ofMillis(100)), ticker.at(ofMillis(100)), ticker.at(ofMillis(120)));
        }
        orders.recordErrorStatus(400, ticker.at(ofMillis(200)), ticker.at(ofMillis(200)), ticker.at(ofMillis(210)));
        orders.recordNoResponse(TransportError.TIMEOUT, "io.gatling.http.client.impl.RequestTimeoutException",
                ticker.at(ofMillis(300)), ticker.at(ofMillis(300)), ticker.at(ofMillis(5_300)));
        reads.recordNoResponse(TransportError.REFUSED, "java.net.ConnectException", ticker.at(ofMillis(1_300)),
                ticker.at(ofMillis(1_300)), ticker.at(ofMillis(1_301)));
        reads.recordNoResponse(TransportError.OTHER, "javax.net.ssl.SSLException", ticker.at(ofMillis(1_400)),
                ticker.at(ofMillis(1_400)), ticker.at(ofMillis(1_401)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(500)), ticker.at(ofMillis(510)));

        Timeline timeline = recorder.snapshot();
        Window second0 = timeline.window(ofSeconds(0), ofSeconds(1), "place order");
        assertThat(second0.failureBreakdown().statuses()).isEqualTo(Map.of(400, 1L, 503, 3L));
        assertThat(second0.failureBreakdown().count(TransportError.TIMEOUT)).isEqualTo(1);
        assertThat(second0.failureCounts()).extracting(Object::toString)
                .containsExactly("503 ×3", "400 ×1", "timeout ×1");
        assertThat(timeline.window(ofSeconds(1), ofSeconds(2), "place order").failureCounts()).isEmpty();

        Window all = timeline.window(ofSeconds(0), ofSeconds(2));
        assertThat(all.failureCounts()).extracting(Object::toString)
                .containsExactly("503 ×3", "400 ×1", "timeout ×1", "refused ×1", "other SSLException ×1");
        assertThat(all.failureCounts().stream().mapToLong(FailureBreakdown.Count::count).sum())
                .as("the lines add up to the failures").isEqualTo(all.failures());
        assertThat(all.asSent().failureCounts()).isEqualTo(all.failureCounts());
    }

    @Test
    void failuresRecordedWithoutDetailAreListedAsTheRest() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        orders.record(Outcome.ERROR_STATUS, ticker.at(ofMillis(100)), ticker.at(ofMillis(120)));
        orders.record(Outcome.NO_RESPONSE, ticker.at(ofMillis(100)), ticker.at(ofMillis(120)));
        orders.recordErrorStatus(500, ticker.at(ofMillis(100)), ticker.at(ofMillis(100)), ticker.at(ofMillis(120)));

        assertThat(recorder.snapshot().window(ofSeconds(0), ofSeconds(1)).failureCounts()).extracting(Object::toString)
                .containsExactlyInAnyOrder("500 ×1", "error status ×1", "no response ×1");
    }

    @Test
    void aSecondKeepsAFewDistinctStatusesAndCountsTheRestWithoutThem() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        for (int status = 500; status < 500 + FailureCounter.STATUSES + 3; status++) {
            orders.recordErrorStatus(status, ticker.at(ofMillis(100)), ticker.at(ofMillis(100)), ticker.at(ofMillis(120)));
        }

        Window second0 = recorder.snapshot().window(ofSeconds(0), ofSeconds(1));
        assertThat(second0.failureBreakdown().statuses()).hasSize(FailureCounter.STATUSES);
        assertThat(second0.failureCounts()).contains(new FailureBreakdown.Count("error status", 3));
        assertThat(second0.failureCounts().stream().mapToLong(FailureBreakdown.Count::count).sum())
                .isEqualTo(FailureCounter.STATUSES + 3);
    }

    @Test
    void sealingKeepsTheBreakdownAndALateFailureStillCounts() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(30)));

        orders.recordErrorStatus(503, ticker.at(ofMillis(100)), ticker.at(ofMillis(100)), ticker.at(ofMillis(150)));
        ticker.advance(ofSeconds(20));
        assertThat(recorder.seal(ofSeconds(7))).singleElement()
                .satisfies(sealed -> assertThat(sealed.failures(0).count(503)).isEqualTo(1));

        // a request due in the sealed second that only now timed out
        orders.recordNoResponse(TransportError.TIMEOUT, null, ticker.at(ofMillis(200)), ticker.at(ofMillis(200)),
                ticker.at(ofSeconds(20)));

        Window second0 = recorder.snapshot().window(ofSeconds(0), ofSeconds(1));
        assertThat(second0.failureCounts()).extracting(Object::toString).containsExactlyInAnyOrder("503 ×1", "timeout ×1");
    }

    @Test
    void aTimelineFromDiskTakesItsBreakdownBack() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));
        orders.record(Outcome.ERROR_STATUS, ticker.at(ofMillis(100)), ticker.at(ofMillis(120)));

        Timeline restored = recorder.snapshot().withFailures(Map.of(0, Map.of("place order",
                new FailureBreakdown(Map.of(502, 1L), Map.of(), Map.of())), 9, Map.of("place order", FailureBreakdown.NONE)));

        assertThat(restored.window(ofSeconds(0), ofSeconds(1)).failureCounts()).extracting(Object::toString)
                .containsExactly("502 ×1");
    }

    @Test
    void countsRequestsInFlightUntilTheyAreRecorded() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        orders.sending(ticker.at(ofMillis(100)));
        orders.sending(ticker.at(ofMillis(200)));
        orders.sending(ticker.at(ofMillis(1_200)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(100)), ticker.at(ofMillis(150)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(300)), ticker.at(ofMillis(350))); // never marked as sending

        assertThat(recorder.inFlight(ofSeconds(0), ofSeconds(1))).isEqualTo(0);
        assertThat(recorder.inFlight(ofSeconds(1), ofSeconds(2))).isEqualTo(1);
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(1_200)), ticker.at(ofMillis(1_250)));
        assertThat(recorder.inFlight(ofSeconds(0), ofSeconds(5))).isZero();
    }

    @Test
    void classifiesTheLoadGeneratorsExceptions() {
        assertThat(TransportError.classify(new TimeoutException("Request timeout to localhost/127.0.0.1:8080 after 5000 ms")))
                .isEqualTo(TransportError.TIMEOUT);
        assertThat(TransportError.classify("io.gatling.http.client.impl.RequestTimeoutException", "after 5000 ms"))
                .isEqualTo(TransportError.TIMEOUT);
        assertThat(TransportError.classify(new ConnectException("Connection refused: localhost/127.0.0.1:1")))
                .isEqualTo(TransportError.REFUSED);
        assertThat(TransportError.classify(new IOException("wrapped", new ConnectException("nothing listens"))))
                .isEqualTo(TransportError.REFUSED);
        assertThat(TransportError.classify(new SocketException("Connection reset"))).isEqualTo(TransportError.RESET);
        assertThat(TransportError.classify("io.gatling.http.client.impl.PrematureCloseException", "Premature close"))
                .isEqualTo(TransportError.RESET);
        assertThat(TransportError.classify(new IOException("recvAddress(..) failed: Connection reset by peer")))
                .isEqualTo(TransportError.RESET);
        assertThat(TransportError.classify(new IllegalStateException("boom"))).isEqualTo(TransportError.OTHER);
    }
}
