package dev.gameday.scenarios.internal.load;

import static io.gatling.javaapi.http.HttpDsl.http;

import dev.gameday.scenarios.TrafficRequest;
import dev.gameday.scenarios.WriteLedger;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.TimelineRecorder;
import io.gatling.commons.util.GatlingVersion$;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.prefs.Preferences;

/**
 * The forked JVM of {@link GatlingReleaseCheckIT}: one fresh JVM per case, because Gatling looks its latest release up
 * once per JVM. Modes:
 *
 * <ul>
 *   <li>{@code launcher <results>}: a short Gatling run through {@link GatlingLauncher}, against a local server</li>
 *   <li>{@code lookup}: Gatling's own lookup with nothing recorded in its cache (the control)</li>
 *   <li>{@code lookup-after-skip <age ms>}: the launcher's record made that long ago, then Gatling's lookup</li>
 *   <li>{@code lookup-after-failed-check <age ms>}: a failed check dated that long ago, then Gatling's lookup</li>
 * </ul>
 */
public final class ReleaseCheckProbe {

    private ReleaseCheckProbe() {
    }

    public static void main(String[] args) throws Exception {
        int status = switch (args[0]) {
            case "launcher" -> runThroughLauncher(Path.of(args[1]));
            case "lookup" -> lookup();
            case "lookup-after-skip" -> {
                GatlingLauncher.skipReleaseCheck(System.currentTimeMillis() - Long.parseLong(args[1]));
                yield lookup();
            }
            case "lookup-after-failed-check" -> {
                // what a launcher that dates its record "now" leaves behind, seen that much later
                Preferences cache = Preferences.userRoot().node(GatlingLauncher.RELEASE_CHECK_NODE);
                cache.putLong(GatlingLauncher.RELEASE_CHECK_TIMESTAMP, System.currentTimeMillis() - Long.parseLong(args[1]));
                cache.putBoolean(GatlingLauncher.RELEASE_CHECK_SUCCESS, false);
                yield lookup();
            }
            default -> throw new IllegalArgumentException("Release check probe: unknown mode '" + args[0]
                    + "'; expected launcher, lookup, lookup-after-skip or lookup-after-failed-check.");
        };
        System.exit(status);
    }

    /** Exactly what Gatling's runner evaluates before every run to print "Gatling x is available!". */
    private static int lookup() {
        System.out.println("Gatling's latest release lookup returned " + GatlingVersion$.MODULE$.LatestRelease());
        return 0;
    }

    private static int runThroughLauncher(Path results) throws Exception {
        try (LocalHttpServer server = new LocalHttpServer()) {
            TimelineRecorder recorder = TimelineRecorder.create();
            List<TrafficRequest> requests = List.of(
                    new TrafficRequest("ok", 1.0, () -> http("ok").get("/ok"), Set.of(200), Optional.empty()));
            List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
            LoadPlan plan = new LoadPlan(server.uri(), requests, series, 20, Duration.ZERO, Duration.ofSeconds(1),
                    Duration.ofMillis(500), recorder, new WriteLedger(), started -> recorder.start(started.offered()));
            int status = GatlingLauncher.run(plan, results);
            long requestsSent = recorder.snapshot().window(Duration.ZERO, Duration.ofSeconds(2)).requests();
            System.out.println("Gatling exit status " + status + ", " + requestsSent + " requests to the local server");
            return status == 0 && requestsSent > 0 ? 0 : 1;
        }
    }
}
