package dev.gameday.environments.compose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the {@code docker} command line, every call with a time limit, output captured, telemetry off and nothing
 * pulled. Package-private: {@link ComposeEnvironment} is its only user.
 */
final class DockerCli {

    /**
     * Settings for every call: no telemetry, plain output. Builds: with Debian's engine 20.10 there is no buildx
     * plugin, so Compose v2.40 warns that it cannot use Bake and builds with its internal builder on the engine's own
     * BuildKit, which works offline when the FROM images are local. {@code DOCKER_BUILDKIT=0} in the caller's
     * environment (passed on) selects the classic builder instead, for Dockerfiles whose {@code # syntax=} line would
     * make BuildKit fetch a frontend image.
     */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "DO_NOT_TRACK", "1",
            "COMPOSE_ANSI", "never",
            "COMPOSE_PROGRESS", "plain",
            "COMPOSE_STATUS_STDOUT", "1");

    /** The outcome of one call. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Compose's own words about a failure, trimmed to what fits in a message. */
        String error() {
            String text = (stderr.isBlank() ? stdout : stderr).strip();
            List<String> lines = text.lines().toList();
            if (lines.size() > 25) {
                text = "... " + String.join("\n", lines.subList(lines.size() - 25, lines.size()));
            }
            return text.isEmpty() ? "no output (exit status " + exitCode + ")" : text;
        }
    }

    private final Path workingDirectory;

    DockerCli(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    /**
     * Runs {@code docker args...} and waits at most {@code timeout}; a call that takes longer is killed and reported
     * as exit status -1 with a message saying so.
     */
    Result run(Duration timeout, List<String> args) {
        return run(timeout, args, false);
    }

    /**
     * Like {@link #run(Duration, List)}, with the command's standard error merged into its standard output in the
     * order written: for logs, where a container's stderr (a stack trace) belongs between its other lines.
     */
    Result runMerged(Duration timeout, List<String> args) {
        return run(timeout, args, true);
    }

    private Result run(Duration timeout, List<String> args, boolean merged) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(ENVIRONMENT);
        builder.redirectErrorStream(merged);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(command, 127, "", "Could not run 'docker': " + e.getMessage()
                    + ". Install the Docker CLI (Debian: apt-get install docker.io, or run scripts/ensure-docker.sh).");
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return new Result(command, -1, drain(stdout), drain(stderr) + "\n'" + String.join(" ", command)
                        + "' did not finish within " + timeout.toSeconds() + " s and was stopped.");
            }
            return new Result(command, process.exitValue(), stdout.get(10, TimeUnit.SECONDS),
                    stderr.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, -1, "", "Interrupted while running '" + String.join(" ", command) + "'.");
        } catch (ExecutionException | TimeoutException e) {
            return new Result(command, process.exitValue(), "", "Could not read the output of '"
                    + String.join(" ", command) + "': " + e.getMessage());
        }
    }

    Result run(Duration timeout, String... args) {
        return run(timeout, List.of(args));
    }

    private static String drain(CompletableFuture<String> output) {
        try {
            return output.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "";
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
