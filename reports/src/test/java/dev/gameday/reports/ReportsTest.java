package dev.gameday.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryReportIntoTheResultsDirectory() throws IOException {
        Path results = dir.resolve("gameday").resolve("redis-timeouts");

        List<Path> written = Reports.writeAll(Runs.failed(), results);

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
                "report.txt", "summary.json", "TEST-gameday-redis-timeouts.xml", "allure-results", "timeline.hlog");
        assertThat(written).as("created, with its parents").allSatisfy(p -> {
            assertThat(p).exists();
            assertThat(p.getParent()).isEqualTo(results);
        });
        assertThat(Files.readString(results.resolve("report.txt")))
                .endsWith("VERDICT: FAILED — 2 of 8 objectives violated\n");
        assertThat(JsonSummaryReport.read(results.resolve("summary.json")).headline())
                .isEqualTo("FAILED: 2 of 8 objectives violated");
    }

    @Test
    void reportsTheFirstFailureWithTheOthersSuppressedAfterTryingEveryReport() {
        Report brokenDisk = (run, directory) -> {
            throw new IOException("summary.json: disk full");
        };
        Report bug = (run, directory) -> {
            throw new IllegalStateException("allure: bug");
        };

        assertThatThrownBy(() -> Reports.writeAll(Runs.failed(), dir,
                List.of(brokenDisk, ConsoleReport.unicode(), bug, new HistogramLogReport())))
                .isInstanceOf(IOException.class)
                .hasMessage("summary.json: disk full")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("allure: bug"));
        assertThat(dir.resolve("report.txt")).as("reports after a failure are still written").exists();
        assertThat(dir.resolve("timeline.hlog")).exists();
    }

    @Test
    void explainsAResultsDirectoryThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("results"), "not a directory");

        assertThatThrownBy(() -> Reports.writeAll(Runs.passed(), file))
                .isInstanceOf(IOException.class)
                .hasMessage("Gameday reports of 'redis-timeouts': the results directory " + file + " exists but is not"
                        + " a directory. Pass a directory path; it is created if it is missing.");
    }

    @Test
    void namesTheReportAndTheFileThatCouldNotBeWritten() throws IOException {
        Files.createDirectories(dir.resolve("summary.json"));

        assertThatThrownBy(() -> Reports.writeAll(Runs.passed(), dir))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("JSON summary: could not write " + dir.resolve("summary.json") + " (")
                .hasMessageEndingWith("). Check that the directory is writable and the disk has space, or choose"
                        + " another results directory.");
        assertThat(dir.resolve("report.txt")).as("the other reports are written").exists();
        assertThat(dir.resolve("TEST-gameday-redis-timeouts.xml")).exists();
    }
}
