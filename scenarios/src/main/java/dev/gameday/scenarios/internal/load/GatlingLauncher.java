package dev.gameday.scenarios.internal.load;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Runs Gatling in this JVM on a {@link LoadPlan}, with every setting that would call out switched off.
 *
 * <p>Gatling needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} on the JVM; the scripts, the Maven build and
 * the command line set it.
 */
public final class GatlingLauncher {

    /**
     * Settings forced on every run: no usage analytics and no warm-up request to an outside host: nothing leaves the
     * machine. The bundled gatling.conf also switches Gatling's own writers off: the timeline is the record, and a
     * line per request in simulation.log would measure everything twice and cost the injector CPU.
     */
    private static final Map<String, String> SETTINGS = Map.of(
            "gatling.data.enableAnalytics", "false",
            "gatling.http.warmUpUrl", "");

    /** Where Gatling caches the result of its check for a newer release on Maven Central (Java preferences). */
    static final String RELEASE_CHECK_NODE = "/io/gatling/latestVersion";
    static final String RELEASE_CHECK_TIMESTAMP = "lastCheckTimestamp";
    static final String RELEASE_CHECK_SUCCESS = "lastCheckSuccess";

    /**
     * How far ahead of now the launcher dates its "failed" record. Gatling trusts a failed check for 3,600 ms (its
     * {@code LatestGatlingRelease} compares milliseconds with 3600, meant as an hour): a record dated now would expire
     * if Gatling reached its lookup more than 3.6 s later, as a cold JVM on a busy machine can.
     */
    static final Duration RELEASE_CHECK_SKIP_AHEAD = Duration.ofHours(1);

    private GatlingLauncher() {
    }

    /**
     * Gatling 3.15 asks Maven Central for its latest release at every run ({@code GatlingVersion.LatestRelease},
     * evaluated once per JVM by its runner; a {@code HttpURLConnection} to {@code https://repo1.maven.org}), with no
     * setting to switch that off; it skips the request while its cache (Java preferences) holds a recent failed check.
     * Recording a failed check in Gatling's own cache before each run keeps the request from ever being made: nothing
     * may call out of the machine.
     */
    static void skipReleaseCheck() {
        skipReleaseCheck(System.currentTimeMillis());
    }

    /** As {@link #skipReleaseCheck()}, at the given time: tests use it to let Gatling look up long after the record. */
    static void skipReleaseCheck(long nowMillis) {
        Preferences cache = Preferences.userRoot().node(RELEASE_CHECK_NODE);
        cache.putLong(RELEASE_CHECK_TIMESTAMP, nowMillis + RELEASE_CHECK_SKIP_AHEAD.toMillis());
        cache.putBoolean(RELEASE_CHECK_SUCCESS, false);
        try {
            cache.flush();
        } catch (BackingStoreException e) {
            // Gatling reads the same in-memory node in this JVM; persisting it only spares the next JVM the write.
        }
    }

    /**
     * Runs the plan and blocks until every request has ended.
     *
     * @param plan    what to send
     * @param results where Gatling may write its files
     * @return Gatling's exit status (0 when the run itself worked)
     */
    public static int run(LoadPlan plan, Path results) {
        SETTINGS.forEach(System::setProperty);
        skipReleaseCheck();
        System.setProperty("gatling.http.requestTimeout", String.valueOf(plan.requestTimeout().toMillis()));
        // A pooled connection the server may already have closed is a load-generator error waiting to happen; keep
        // idle connections short-lived so the injector never reuses one the server has dropped.
        System.setProperty("gatling.http.pooledConnectionIdleTimeout", "5000");
        // Gatling reads these through Typesafe Config, which caches system properties for the JVM's lifetime: without
        // this, a second run in the same JVM silently keeps the first run's settings (its request timeout, say).
        ConfigFactory.invalidateCaches();
        RequestCrashes crashes = RequestCrashes.install();
        try {
            GamedaySimulation.install(plan, crashes);
        } catch (RuntimeException e) {
            crashes.uninstall();
            throw e;
        }
        try {
            return io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {
                    "--simulation", GamedaySimulation.class.getName(),
                    "--results-folder", results.toAbsolutePath().toString(),
                    "--no-reports",
                    "--launcher", "gameday"});
        } finally {
            GamedaySimulation.uninstall();
            crashes.uninstall();
        }
    }
}
