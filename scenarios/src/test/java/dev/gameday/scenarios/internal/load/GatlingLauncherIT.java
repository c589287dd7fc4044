package dev.gameday.scenarios.internal.load;

import static io.gatling.javaapi.http.HttpDsl.http;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import dev.gameday.timeline.Outcome;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineRecorder;
import dev.gameday.timeline.TransportError;
import dev.gameday.timeline.Window;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Gatling, in this JVM, against a real HTTP server on loopback: the load path records what really happened. */
class GatlingLauncherIT {

    @TempDir
    Path results;

    @Test
    void recordsEveryRequestWithItsOutcomeIntoTheTimeline() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer()) {
            TimelineRecorder recorder = TimelineRecorder.create();
            WriteLedger ledger = new WriteLedger();
            List<TrafficRequest> requests = List.of(
                    new TrafficRequest("create", 0.5, () -> http("create").post("/create"), Set.of(201), Optional.of("Location")),
                    new TrafficRequest("unavailable", 0.25, () -> http("unavailable").get("/unavailable"), Set.of(200), Optional.empty()),
                    new TrafficRequest("hang", 0.25, () -> http("hang").get("/hang"), Set.of(200), Optional.empty()));
            List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
            Duration duration = ofSeconds(4);
            // 2 s, not the 500 ms this test once used: a busy machine stalled two loopback answers past 500 ms (CI,
            // right after the catalogue), and a stall is the machine's, not a misclassified answer
            LoadPlan plan = new LoadPlan(server.uri(), requests, series, 200, Duration.ZERO, duration, ofSeconds(2),
                    recorder, ledger, started -> recorder.start(started.offered()));

            int status = GatlingLauncher.run(plan, results);

            Timeline timeline = recorder.snapshot();
            // second 0 is a cold JVM on both sides: that is what a warmup phase is for
            Window created = timeline.window(ofSeconds(1), ofSeconds(5), "create");
            Window unavailable = timeline.window(ofSeconds(1), ofSeconds(5), "unavailable");
            Window hung = timeline.window(ofSeconds(1), ofSeconds(5), "hang");
            assertThat(status).as("Gatling's own exit status").isZero();
            assertThat(java.util.prefs.Preferences.userRoot().node(GatlingLauncher.RELEASE_CHECK_NODE)
                    .getBoolean(GatlingLauncher.RELEASE_CHECK_SUCCESS, true))
                    .as("Gatling's cache still holds the launcher's failed check, which a lookup, successful or not,"
                            + " would have rewritten (only a JVM's first run looks up; GatlingReleaseCheckIT checks that"
                            + " in a fresh JVM, offline too)")
                    .isFalse();
            assertThat((double) timeline.window(Duration.ZERO, ofSeconds(5)).requests())
                    .as("an open model at 200/s for 4 s sends about 800 requests")
                    .isCloseTo(800, within(40.0));
            // what is judged is how answers are classified; a request the machine itself stalled past the timeout is
            // no answer, and may happen on a busy machine, but rarely
            assertThat(created.count(Outcome.SUCCESS)).as("201 is accepted for 'create'; failures: %s", created.failureCounts())
                    .isEqualTo(created.requests() - created.count(Outcome.NO_RESPONSE));
            assertThat(created.count(Outcome.NO_RESPONSE) + unavailable.count(Outcome.NO_RESPONSE))
                    .as("answers stalled past the timeout by the machine").isLessThanOrEqualTo(created.requests() / 100);
            assertThat(ledger.size()).as("every acknowledged write, and only those, is in the ledger")
                    .isEqualTo(timeline.window(Duration.ZERO, ofSeconds(5), "create").count(Outcome.SUCCESS));
            assertThat(ledger.all()).allMatch(id -> id.startsWith("/things/"));
            assertThat(unavailable.count(Outcome.ERROR_STATUS)).as("503 is an error status, not a missing response")
                    .isEqualTo(unavailable.requests() - unavailable.count(Outcome.NO_RESPONSE));
            assertThat(hung.count(Outcome.NO_RESPONSE)).as("a request never answered times out as NO_RESPONSE")
                    .isEqualTo(hung.requests());
            assertThat(hung.latencyAtPercentile(50)).as("and its latency is the request timeout")
                    .isBetween(ofMillis(1_950), ofMillis(2_500));
            assertThat(unavailable.failureBreakdown().statuses()).as("the breakdown keeps the status")
                    .isEqualTo(java.util.Map.of(503, unavailable.count(Outcome.ERROR_STATUS)));
            assertThat(hung.failureBreakdown().count(TransportError.TIMEOUT)).as("and the kind of missing response")
                    .isEqualTo(hung.requests());
            assertThat(recorder.inFlight(Duration.ZERO, ofSeconds(10))).as("every request sent was recorded").isZero();
        }
    }

    @Test
    void tellsRefusedConnectionsFromResetOnesByTheExceptionGatlingReports() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Window refused = failing(URI.create("http://127.0.0.1:" + closedPort));
        assertThat(refused.requests()).isPositive();
        assertThat(refused.failureBreakdown().count(TransportError.REFUSED))
                .as("nothing listens: refused, not 'other' (it fails at once, so only Gatling's exception can tell)")
                .isEqualTo(refused.requests());

        try (ServerSocket resetting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!resetting.isClosed()) {
                    try (Socket connection = resetting.accept()) {
                        connection.getInputStream().read(new byte[1024]);
                        connection.setSoLinger(true, 0); // close with a RST
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                }
            }, "resetting-server");
            acceptor.setDaemon(true);
            acceptor.start();
            Window reset = failing(URI.create("http://127.0.0.1:" + resetting.getLocalPort()));
            assertThat(reset.requests()).isPositive();
            assertThat(reset.failureBreakdown().count(TransportError.RESET))
                    .as("the server reads the request and resets the connection: %s", reset.failureCounts())
                    .isEqualTo(reset.requests());
        }
    }

    private Window failing(URI target) {
        TimelineRecorder recorder = TimelineRecorder.create();
        List<TrafficRequest> requests = List.of(
                new TrafficRequest("fail", 1.0, () -> http("fail").get("/"), Set.of(200), Optional.empty()));
        List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
        LoadPlan plan = new LoadPlan(target, requests, series, 20, Duration.ZERO, ofSeconds(1), ofSeconds(2),
                recorder, new WriteLedger(), started -> recorder.start(started.offered()));

        assertThat(GatlingLauncher.run(plan, results)).isZero();
        Window window = recorder.snapshot().window(Duration.ZERO, ofSeconds(5));
        assertThat(window.count(Outcome.NO_RESPONSE)).isEqualTo(window.requests());
        return window;
    }

    @Test
    void eachRunInTheSameJvmUsesItsOwnSettings() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer()) {
            Duration first = hangLatency(server, ofMillis(300));
            Duration second = hangLatency(server, ofMillis(1_200));

            assertThat(first).as("the first run times out after its 300 ms").isBetween(ofMillis(250), ofMillis(700));
            assertThat(second).as("the second run after its own 1,200 ms, not the first run's")
                    .isBetween(ofMillis(1_150), ofMillis(1_700));
        }
    }

    private Duration hangLatency(LocalHttpServer server, Duration requestTimeout) {
        TimelineRecorder recorder = TimelineRecorder.create();
        List<TrafficRequest> requests = List.of(
                new TrafficRequest("hang", 1.0, () -> http("hang").get("/hang"), Set.of(200), Optional.empty()));
        List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
        LoadPlan plan = new LoadPlan(server.uri(), requests, series, 20, Duration.ZERO, ofSeconds(2), requestTimeout,
                recorder, new WriteLedger(), started -> recorder.start(started.offered()));

        assertThat(GatlingLauncher.run(plan, results)).isZero();
        Window hung = recorder.snapshot().window(Duration.ZERO, ofSeconds(3));
        assertThat(hung.count(Outcome.NO_RESPONSE)).isEqualTo(hung.requests());
        return hung.latencyAtPercentile(50);
    }
}
