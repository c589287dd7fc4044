package dev.gameday.reports;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.Criteria;
import dev.gameday.assertions.Evaluator;
import dev.gameday.assertions.ObjectiveSet;
import dev.gameday.assertions.Phase;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.Timeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Degraded answers and server-side series as the console and the JSON summary show them. */
class ServerSideReportTest {

    private static RunReport breakerRun() {
        Timeline timeline = RunFixture.offering(40, 60, "place order", "read order")
                .healthy("place order", 0, 60, 20).healthy("read order", 0, 60, 20)
                .requests("place order", 20, 40, 15, ofMillis(3), Outcome.DEGRADED)
                .server("breaker-open", 0, 22, 0).server("breaker-open", 22, 25, Double.NaN)
                .server("breaker-open", 25, 43, 1).server("breaker-open", 43, 60, 0)
                .server("heap", 0, 60, 123_456_789)
                .fault("exchange-timeout", ofMillis(20_400), ofMillis(40_300))
                .timeline();
        ObjectiveSet objectives = ObjectiveSet.builder()
                .during(Phase.AFTER, Criteria.serverMetric("breaker-open").atMost(0), Criteria.degradedRate().below(1.0))
                .recoversWithin(ofSeconds(15), Criteria.fullService().above(99))
                .build();
        return new RunReport("exchange-breaker", "demo-trading-system", "The exchange hangs, then heals.", Map.of(),
                timeline, Evaluator.evaluate(timeline, objectives, ofSeconds(5), Optional.empty()));
    }

    @Test
    void theConsoleShowsDegradedAnswersAndEachServerSideSeriesPhaseByPhase() {
        String text = ConsoleReport.ascii().render(breakerRun());

        assertThat(text).contains("  phase          window   requests  req/s   success  degraded  error status");
        assertThat(text).containsPattern("  fault +20-41 s +1,140 +54\\.3 +100\\.00 % +300 ");
        assertThat(text).contains("Server-side series (the system's own metrics, read by the harness about once a second)\n"
                + "  series        phase     readings  missing          min          max         last\n"
                + "  breaker-open  warmup           5        0            0            0            0\n"
                + "                baseline        15        0            0            0            0\n"
                + "                fault           18        3            0            1            1\n"
                + "                recovery        15        0            0            1            0\n"
                + "                after            4        0            0            0            0\n"
                + "  heap          warmup           5        0  123,456,789  123,456,789  123,456,789\n");
        assertThat(text).contains("+ Objective 'server breaker-open <= 0' met in phase 'after'");
    }

    @Test
    void aRunWithoutDegradedAnswersOrServerSeriesReadsAsBefore() {
        String text = ConsoleReport.ascii().render(Runs.passed());

        assertThat(text).doesNotContain("degraded", "Server-side series");
    }

    @Test
    void theSummaryCarriesDegradedCountsAndEveryReadingMissingOnesAsNull(@TempDir Path directory) throws IOException {
        Path file = new JsonSummaryReport().write(breakerRun(), directory);
        RunSummary summary = JsonSummaryReport.read(file);

        assertThat(summary.serverSeries()).extracting(RunSummary.ServerSeriesEntry::name)
                .containsExactly("breaker-open", "heap");
        RunSummary.ServerSeriesEntry breaker = summary.serverSeries().get(0);
        assertThat(breaker.readings()).hasSize(60);
        assertThat(breaker.readings().get(22)).isEqualTo(new RunSummary.ServerReading(22.5, null));
        assertThat(breaker.readings().get(30)).isEqualTo(new RunSummary.ServerReading(30.5, 1.0));
        assertThat(summary.perSecond().get(30).degraded()).isEqualTo(15);
        assertThat(summary.phases()).filteredOn(p -> p.phase().equals("fault")).singleElement()
                .satisfies(p -> assertThat(p.total().degraded()).isEqualTo(300));
        assertThat(Files.readString(file)).contains("\"serverSeries\"");
    }
}
