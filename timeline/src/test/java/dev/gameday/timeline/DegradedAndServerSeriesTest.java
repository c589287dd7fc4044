package dev.gameday.timeline;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DegradedAndServerSeriesTest {

    private final ManualTicker ticker = new ManualTicker();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private final TimelineRecorder recorder = TimelineRecorder.create(ticker, clock);

    @Test
    void degradedAnswersAreSuccessesByStatusButNotFullService() {
        SeriesRecorder orders = recorder.series("place order");
        SeriesRecorder reads = recorder.series("read order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        for (int i = 0; i < 6; i++) {
            orders.record(Outcome.SUCCESS, ticker.at(ofMillis(100 + i)), ticker.at(ofMillis(110 + i)));
        }
        for (int i = 0; i < 3; i++) {
            orders.record(Outcome.DEGRADED, ticker.at(ofMillis(200 + i)), ticker.at(ofMillis(205 + i)));
        }
        orders.recordErrorStatus(503, ticker.at(ofMillis(300)), ticker.at(ofMillis(300)), ticker.at(ofMillis(310)));
        reads.record(Outcome.SUCCESS, ticker.at(ofMillis(400)), ticker.at(ofMillis(410)));

        Timeline timeline = recorder.snapshot();
        Window placed = timeline.window(ofSeconds(0), ofSeconds(1), "place order");
        assertThat(placed.requests()).isEqualTo(10);
        assertThat(placed.degraded()).isEqualTo(3);
        assertThat(placed.failures()).as("a degraded answer is not a failure").isEqualTo(1);
        assertThat(placed.successPercent()).isCloseTo(90.0, within(1e-9));
        assertThat(placed.fullServicePercent()).isCloseTo(60.0, within(1e-9));
        assertThat(placed.degradedPercent()).isCloseTo(30.0, within(1e-9));
        assertThat(placed.successRate()).isCloseTo(9.0, within(1e-9));
        assertThat(timeline.window(ofSeconds(0), ofSeconds(1), "read order").degraded()).isZero();
        assertThat(timeline.window(ofSeconds(0), ofSeconds(1)).degraded()).isEqualTo(3);
        assertThat(placed.asSent().degraded()).isEqualTo(3);
    }

    @Test
    void degradedCountsSurviveTheTimelineLog() {
        SeriesRecorder orders = recorder.series("place order");
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));
        orders.record(Outcome.DEGRADED, ticker.at(ofMillis(1_200)), ticker.at(ofMillis(1_205)));
        orders.record(Outcome.SUCCESS, ticker.at(ofMillis(1_300)), ticker.at(ofMillis(1_305)));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TimelineLog.write(recorder.snapshot(), out);
        Timeline read = TimelineLog.read(new ByteArrayInputStream(out.toByteArray()));

        Window second1 = read.window(ofSeconds(1), ofSeconds(2));
        assertThat(second1.degraded()).isEqualTo(1);
        assertThat(second1.count(Outcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void serverSamplesGoIntoTheWindowsOfTheSecondTheyWereTakenInMissingOnesIncluded() {
        recorder.series("place order");
        recorder.serverSeries("breaker-open");
        recorder.serverSeries("never read");
        List<String> heard = new ArrayList<>();
        recorder.listener(new TimelineRecorder.Listener() {
            @Override
            public void event(TimelineEvent event) {
            }

            @Override
            public void injector(InjectorSample sample) {
            }

            @Override
            public void serverSample(String series, ServerSample sample) {
                heard.add(series + "@" + sample.at().toMillis());
            }
        });
        recorder.start(OfferedLoad.constant(10, ofSeconds(10)));

        ticker.advance(ofMillis(500));
        recorder.serverSample("breaker-open", OptionalDouble.of(0));
        ticker.advance(ofMillis(1_000));
        recorder.serverSample("breaker-open", OptionalDouble.of(1));
        ticker.advance(ofMillis(1_000));
        recorder.serverSample("breaker-open", OptionalDouble.empty());

        Timeline timeline = recorder.snapshot();
        assertThat(timeline.serverSeries()).containsOnlyKeys("breaker-open", "never read");
        assertThat(timeline.serverSeries().get("never read")).isEmpty();
        assertThat(timeline.serverSeries().get("breaker-open")).containsExactly(
                ServerSample.of(ofMillis(500), 0), ServerSample.of(ofMillis(1_500), 1),
                ServerSample.missing(ofMillis(2_500)));
        assertThat(timeline.window(ofSeconds(1), ofSeconds(2)).serverSamples("breaker-open"))
                .containsExactly(ServerSample.of(ofMillis(1_500), 1));
        assertThat(timeline.window(ofSeconds(2), ofSeconds(3)).serverSamples("breaker-open").get(0).isMissing()).isTrue();
        assertThat(timeline.window(ofSeconds(0), ofSeconds(3)).asSent().serverSamples("breaker-open")).hasSize(3);
        assertThat(timeline.window(ofSeconds(0), ofSeconds(3)).serverSamples("unknown")).isEmpty();
        assertThat(heard).containsExactly("breaker-open@500", "breaker-open@1500", "breaker-open@2500");
        assertThat(timeline.withFailures(java.util.Map.of()).serverSeries()).isEqualTo(timeline.serverSeries());
    }

    @Test
    void aNotANumberReadingIsMissing() {
        assertThat(new ServerSample(ofSeconds(1), OptionalDouble.of(Double.NaN)).isMissing()).isTrue();
    }
}
