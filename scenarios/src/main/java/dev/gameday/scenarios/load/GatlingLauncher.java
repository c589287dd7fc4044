package dev.gameday.scenarios.load;

import java.nio.file.Path;
import java.util.Map;

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

    private GatlingLauncher() {
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
        System.setProperty("gatling.http.requestTimeout", String.valueOf(plan.requestTimeout().toMillis()));
        // A pooled connection the server may already have closed is a load-generator error waiting to happen; keep
        // idle connections short-lived so the injector never reuses one the server has dropped.
        System.setProperty("gatling.http.pooledConnectionIdleTimeout", "5000");
        GamedaySimulation.install(plan);
        try {
            return io.gatling.app.Gatling$.MODULE$.fromArgs(new String[] {
                    "--simulation", GamedaySimulation.class.getName(),
                    "--results-folder", results.toAbsolutePath().toString(),
                    "--no-reports",
                    "--launcher", "gameday"});
        } finally {
            GamedaySimulation.uninstall();
        }
    }
}
