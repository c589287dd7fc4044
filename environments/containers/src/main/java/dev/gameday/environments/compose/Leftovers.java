package dev.gameday.environments.compose;

import dev.gameday.environments.compose.DockerCli.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings down the Compose projects of {@link ComposeEnvironment}s whose JVM died without closing them ({@code kill -9},
 * a crash): Testcontainers' reaper does not know projects started with the Compose command line. A project is a
 * leftover when its name starts with {@code gameday-}, its services carry this host's name, and the process that
 * started it (pid and start time, so a reused pid does not count) no longer runs.
 */
final class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);
    private static final String SEPARATOR = "\t";

    private Leftovers() {
    }

    /** The owner of a project, as its services' labels record it. */
    record Owner(String project, long pid, String started, String workDir) {
    }

    static void removeDeadOwners(DockerCli cli) {
        Result ps = cli.run(Duration.ofSeconds(30), "ps", "-a", "--filter",
                "label=" + ComposeEnvironment.LABEL_OWNER_HOST + "=" + hostName(), "--format",
                String.join(SEPARATOR, "{{.Label \"com.docker.compose.project\"}}",
                        "{{.Label \"" + ComposeEnvironment.LABEL_OWNER_PID + "\"}}",
                        "{{.Label \"" + ComposeEnvironment.LABEL_OWNER_STARTED + "\"}}",
                        "{{.Label \"" + ComposeEnvironment.LABEL_WORK_DIR + "\"}}"));
        if (!ps.ok()) {
            LOG.warn("Could not look for Compose projects left by dead Gameday runs: {}", ps.error());
            return;
        }
        for (Owner owner : owners(ps.stdout()).values()) {
            if (alive(owner)) {
                continue;
            }
            LOG.info("Removing Compose project {} left behind by Gameday process {} (no longer running on this host):"
                    + " docker compose -p {} down -v --rmi local --remove-orphans", owner.project(), owner.pid(),
                    owner.project());
            Result down = cli.run(Duration.ofMinutes(2), "compose", "-p", owner.project(), "down", "-v", "--rmi",
                    "local", "--remove-orphans", "-t", "0");
            if (!down.ok()) {
                LOG.warn("Could not remove Compose project {}: {}", owner.project(), down.error());
                continue;
            }
            Path workDir = owner.workDir().isEmpty() ? null : Path.of(owner.workDir());
            if (workDir != null && workDir.getFileName() != null
                    && workDir.getFileName().toString().startsWith(ComposeEnvironment.WORK_DIR_PREFIX)) {
                ComposeEnvironment.deleteQuietly(workDir);
            }
        }
    }

    /** One owner per {@code gameday-*} project, from {@code docker ps} lines: project, pid, start time, work dir. */
    static Map<String, Owner> owners(String psOutput) {
        Map<String, Owner> owners = new LinkedHashMap<>();
        for (String line : psOutput.lines().toList()) {
            String[] fields = line.split(SEPARATOR, -1);
            if (fields.length < 4 || !fields[0].startsWith(ComposeEnvironment.PROJECT_PREFIX)) {
                continue;
            }
            try {
                owners.putIfAbsent(fields[0], new Owner(fields[0], Long.parseLong(fields[1].strip()), fields[2].strip(),
                        fields[3].strip()));
            } catch (NumberFormatException e) {
                LOG.debug("Compose project {} has no readable owner pid: {}", fields[0], fields[1]);
            }
        }
        return owners;
    }

    static boolean alive(Owner owner) {
        Optional<ProcessHandle> process = ProcessHandle.of(owner.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Long> started = ComposeEnvironment.startedMillis(process.get());
        // A pid reused by another process: its start time differs from the one recorded.
        return started.isEmpty() || owner.started().equals("unknown")
                || owner.started().equals(String.valueOf(started.get()));
    }

    static String hostName() {
        try {
            String name = Files.readString(Path.of("/etc/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
