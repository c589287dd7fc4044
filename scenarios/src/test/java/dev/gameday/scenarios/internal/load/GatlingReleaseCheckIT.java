package dev.gameday.scenarios.internal.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatling 3.15 asks Maven Central for its latest release with a {@code HttpURLConnection} to
 * {@code https://repo1.maven.org/maven2/io/gatling/gatling-core/maven-metadata.xml}; the launcher keeps it from doing
 * so. This check fails offline as well as online: every case runs in a fresh JVM (Gatling looks up once per JVM) whose
 * HTTPS and HTTP proxy is a {@link RecordingProxy} on loopback, which {@code HttpURLConnection} honours, so a lookup
 * reaches the proxy as {@code CONNECT repo1.maven.org:443} whether or not the machine has a network, and never leaves
 * it. Each forked JVM keeps its Java preferences, Gatling's cache, under its own temporary root. The controls show
 * that the same setup does see the request when the skip is missing or has expired.
 */
class GatlingReleaseCheckIT {

    private static final String LOOKUP = "CONNECT repo1.maven.org:443 HTTP/1.1";

    @TempDir
    Path temp;

    private RecordingProxy proxy;

    @BeforeEach
    void startProxy() throws IOException {
        proxy = new RecordingProxy();
    }

    @AfterEach
    void stopProxy() throws IOException {
        proxy.close();
    }

    @Test
    void aGatlingRunThroughTheLauncherAsksNoOneForItsLatestRelease() throws Exception {
        Forked run = fork("launcher", temp.resolve("results").toString());

        assertThat(run.status()).as("the forked Gatling run's exit status; its output:%n%s", run.output()).isZero();
        assertThat(proxy.requests()).as("connections to the JVM's proxy during a whole Gatling run through the launcher")
                .isEmpty();
    }

    @Test
    void controlGatlingsLookupWithNothingInItsCacheReachesTheProxy() throws Exception {
        Forked lookup = fork("lookup");

        assertThat(lookup.status()).as("the forked lookup's exit status; its output:%n%s", lookup.output()).isZero();
        assertThat(proxy.requests()).as("the same setup sees Gatling's request when no skip is recorded")
                .containsExactly(LOOKUP);
    }

    @Test
    void controlAFailedCheckRecordedFiveSecondsEarlierNoLongerStopsTheLookup() throws Exception {
        // Gatling trusts a failed check for 3,600 ms: a record dated "now" by the launcher expires on a slow start
        Forked lookup = fork("lookup-after-failed-check", "5000");

        assertThat(lookup.status()).as("the forked lookup's exit status; its output:%n%s", lookup.output()).isZero();
        assertThat(proxy.requests()).as("Gatling looks up again once a failed check is 5 s old")
                .containsExactly(LOOKUP);
    }

    @Test
    void theLaunchersSkipHoldsWhenGatlingLooksUpLongAfterItWasRecorded() throws Exception {
        Forked lookup = fork("lookup-after-skip", "60000");

        assertThat(lookup.status()).as("the forked lookup's exit status; its output:%n%s", lookup.output()).isZero();
        assertThat(proxy.requests()).as("connections to the proxy when Gatling looks up 60 s after the launcher's record")
                .isEmpty();
    }

    private Forked fork(String... probeArgs) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Xmx512m",
                "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + proxy.port(),
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxy.port(),
                "-Djava.util.prefs.userRoot=" + temp.resolve("prefs"),
                "-cp", classpath,
                ReleaseCheckProbe.class.getName()));
        command.addAll(List.of(probeArgs));
        Path output = temp.resolve(probeArgs[0] + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("The forked JVM '" + String.join(" ", probeArgs) + "' did not end within 120 s;"
                    + " its output:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        return new Forked(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private record Forked(int status, String output) {
    }
}
