package dev.gameday.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.timeline.Interval;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramLogReportTest {

    @Test
    void writesTheTimelineAsAHistogramLogThatReadsBackLossless(@TempDir Path dir) throws Exception {
        RunReport run = Runs.failed();

        Path log = new HistogramLogReport().write(run, dir);

        Timeline read;
        try (InputStream in = Files.newInputStream(log)) {
            read = TimelineLog.read(in);
        }
        assertThat(log).hasFileName("timeline.hlog");
        assertThat(read.series()).containsExactly(Runs.ORDERS, Runs.QUOTES);
        assertThat(read.startedAt()).isEqualTo(RunFixture.STARTED);
        assertThat(read.intervals()).hasSize(60);
        Interval duringFault = read.intervals().get(25);
        assertThat(duringFault.count(0, Outcome.NO_RESPONSE)).as("timed-out orders in second 25").isEqualTo(50);
        assertThat(duringFault.count(1, Outcome.ERROR_STATUS)).as("failed quotes in second 25").isEqualTo(10);
        assertThat(read.window(Duration.ofSeconds(20), Duration.ofSeconds(41)).latencyAtPercentile(95))
                .as("the fault phase's p95 is the same as recorded")
                .isEqualTo(run.timeline().window(Duration.ofSeconds(20), Duration.ofSeconds(41)).latencyAtPercentile(95));
    }

    @Test
    void reportsAWriteFailureThatThePrintStreamWouldSwallow() {
        OutputStream fullDisk = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };

        assertThatThrownBy(() -> HistogramLogReport.write(Runs.failed().timeline(), fullDisk))
                .as("a truncated log must not pass for a complete one")
                .isInstanceOf(IOException.class).hasMessage("No space left on device");
    }
}
