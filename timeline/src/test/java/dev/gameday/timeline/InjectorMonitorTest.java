package dev.gameday.timeline;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

class InjectorMonitorTest {

    @Test
    void reportsTheLongestStallOfEachPeriod() {
        ManualTicker ticker = new ManualTicker();
        TimelineRecorder recorder = TimelineRecorder.create(ticker, Clock.systemUTC());
        recorder.start(OfferedLoad.constant(1, ofSeconds(10)));
        InjectorMonitor monitor = new InjectorMonitor(recorder, ticker, ofSeconds(1));

        // a quiet first second with 2 ms of jitter, then a 300 ms pause in the second
        monitor.observe(ticker.at(ofMillis(500)), ticker.at(ofMillis(502)));
        monitor.observe(ticker.at(ofMillis(1_000)), ticker.at(ofMillis(1_001)));
        monitor.observe(ticker.at(ofMillis(1_400)), ticker.at(ofMillis(1_700)));
        monitor.observe(ticker.at(ofMillis(2_001)), ticker.at(ofMillis(2_002)));

        assertThat(recorder.snapshot().injector())
                .extracting(InjectorSample::longestStall)
                .as("one sample per period, each with its own longest stall")
                .containsExactly(ofMillis(2), ofMillis(300));
        assertThat(recorder.snapshot().injector())
                .extracting(InjectorSample::stalled)
                .as("timer jitter below the tolerance is not a stall")
                .containsExactly(ofMillis(0), ofMillis(300));
    }
}
