package dev.gameday.scenarios;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Evaluator;
import dev.gameday.environments.Environment;
import dev.gameday.faults.ActiveFault;
import dev.gameday.faults.Fault;
import dev.gameday.faults.FaultException;
import dev.gameday.faults.SafetyNet;
import dev.gameday.reports.ConsoleReport;
import dev.gameday.reports.Reports;
import dev.gameday.reports.RunReport;
import dev.gameday.scenarios.load.GatlingLauncher;
import dev.gameday.scenarios.load.LoadPlan;
import dev.gameday.timeline.InjectorMonitor;
import dev.gameday.timeline.SeriesRecorder;
import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs experiments: starts the environment, drives the load and the fault schedule on one clock, evaluates the
 * objectives and writes the reports. The JUnit tests and the command line both run experiments through it.
 *
 * <pre>{@code
 * ExperimentResult result = ExperimentRunner.create().resultsIn(Path.of("target/gameday")).run(experiment);
 * assertThat(result.verdict()).isEqualTo(Verdict.PASSED);
 * }</pre>
 */
public final class ExperimentRunner {

    public static final Path DEFAULT_RESULTS = Path.of("gameday-results");
    public static final Duration DEFAULT_PROGRESS_PERIOD = Duration.ofSeconds(5);
    /**
     * Seconds older than the request timeout plus this margin are compressed in the timeline: no request in flight can
     * still belong to them, and an hour-long run then holds tens of megabytes instead of gigabytes.
     */
    private static final Duration SEAL_MARGIN = Duration.ofSeconds(2);
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path resultsRoot;
    private final PrintStream out;
    private final Duration progressPeriod;

    private ExperimentRunner(Path resultsRoot, PrintStream out, Duration progressPeriod) {
        this.resultsRoot = resultsRoot;
        this.out = out;
        this.progressPeriod = progressPeriod;
    }

    /** A runner writing under {@code gameday-results/} and printing to standard output. */
    public static ExperimentRunner create() {
        return new ExperimentRunner(DEFAULT_RESULTS, System.out, DEFAULT_PROGRESS_PERIOD);
    }

    /** Writes each run into its own directory under {@code root}. */
    public ExperimentRunner resultsIn(Path root) {
        return new ExperimentRunner(root, out, progressPeriod);
    }

    /** Prints progress and the final report to {@code stream}. */
    public ExperimentRunner printingTo(PrintStream stream) {
        return new ExperimentRunner(resultsRoot, stream, progressPeriod);
    }

    /** Prints the figures of the last {@code period} that often while the load runs. */
    public ExperimentRunner progressEvery(Duration period) {
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Progress period must be at least 1 s (the timeline's resolution), but was "
                    + period + ".");
        }
        return new ExperimentRunner(resultsRoot, out, period);
    }

    /**
     * Starts the experiment's environment, runs the experiment against it and stops the environment.
     *
     * @throws ExperimentException when the run could not be carried out (the environment would not start, the load
     *                             generator failed); a run that completes always returns a result, whatever its verdict
     */
    public ExperimentResult run(Experiment experiment) {
        out.printf("gameday: starting the environment for experiment '%s'%n", experiment.name());
        Environment environment = experiment.environment().start();
        // Ctrl-C: faults first (they act on the environment), then the environment itself.
        Thread cleanup = new Thread(() -> {
            System.err.println("gameday: interrupted: reverting active faults, then stopping the environment");
            SafetyNet.revertAll().forEach(failure -> System.err.println("gameday: " + failure));
            environment.close();
        }, "gameday-environment-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        // The hook stays until the environment is stopped: Ctrl-C during the stop (seconds) would otherwise end the
        // JVM half-way and leave the containers to the reaper. The hook's close() then waits for this one to finish.
        try (environment) {
            return run(experiment, environment);
        } finally {
            removeHook(cleanup);
        }
    }

    /** Runs the experiment against an environment that is already running; the caller stops it. */
    public ExperimentResult run(Experiment experiment, Environment environment) {
        Path directory = resultsRoot.resolve(experiment.name() + "-"
                + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_STAMP));
        createDirectories(directory);
        URI baseUri = environment.entryPoint().endpoint().uri("http");
        Fault fault = experiment.fault().on(environment);
        printHeader(experiment, environment, fault, directory);

        WriteLedger ledger = new WriteLedger();
        experiment.traffic().seed(baseUri, ledger);
        List<TrafficRequest> requests = experiment.traffic().requests(ledger);
        TimelineRecorder recorder = TimelineRecorder.create();
        List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
        LiveProgress progress = new LiveProgress(recorder, out, experiment.load().warmup(), experiment.faultAt(),
                experiment.objectives().recoveryBound());
        ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "gameday-schedule");
            thread.setDaemon(true);
            return thread;
        });
        // when the load ends, a fault step that has not started is dropped, one under way finishes
        clock.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        AtomicReference<ActiveFault> active = new AtomicReference<>();
        AtomicReference<InjectorMonitor> monitor = new AtomicReference<>();
        LoadPlan plan = new LoadPlan(baseUri, requests, series, experiment.load().ratePerSecond(),
                experiment.load().warmup(), experiment.duration(), experiment.load().requestTimeout(), recorder, ledger,
                started -> {
                    recorder.start(started.offered());
                    monitor.set(InjectorMonitor.start(recorder, Duration.ofSeconds(1)));
                    schedule(clock, experiment, fault, progress, active);
                    long period = progressPeriod.toMillis();
                    Duration sealAfter = experiment.load().requestTimeout().plus(SEAL_MARGIN);
                    clock.scheduleAtFixedRate(() -> {
                        progress.tick(progressPeriod);
                        recorder.seal(sealAfter);
                    }, period, period, TimeUnit.MILLISECONDS);
                });
        int status;
        try {
            status = GatlingLauncher.run(plan, directory.resolve("gatling"));
        } finally {
            clock.shutdown();
            awaitQuietly(clock);
            revertIfStillActive(active, progress);
            Optional.ofNullable(monitor.get()).ifPresent(InjectorMonitor::close);
        }
        if (status != 0 || !recorder.isStarted()) {
            throw new ExperimentException("The load generator failed (Gatling exit status " + status + ") in experiment '"
                    + experiment.name() + "'; its log is above. Nothing was assessed.");
        }
        Timeline timeline = recorder.snapshot();
        Optional<DurabilityEvidence> durability = checkDurability(experiment, environment, ledger, progress);
        Evaluation evaluation = Evaluator.evaluate(timeline, experiment.objectives(), experiment.load().warmup(), durability);
        RunReport report = new RunReport(experiment.name(), environment.name(), experiment.description(),
                parameters(experiment, fault), timeline, evaluation);
        List<Path> files = new ArrayList<>(writeReports(report, directory));
        environment.saveLogs(directory.resolve("logs"));
        files.add(directory.resolve("logs"));
        out.println();
        out.print(ConsoleReport.forStandardOutput().render(report));
        out.printf("%nResults written to %s%n", directory.toAbsolutePath());
        out.flush();
        return new ExperimentResult(report, directory, files);
    }

    private static void schedule(ScheduledExecutorService clock, Experiment experiment, Fault fault,
                                 LiveProgress progress, AtomicReference<ActiveFault> active) {
        long injectAt = experiment.faultAt().toMillis();
        long revertAt = experiment.faultAt().plus(experiment.schedule().fault()).toMillis();
        clock.schedule(() -> {
            try {
                active.set(fault.inject(progress));
            } catch (FaultException e) {
                // recorded in the timeline by the listener; the verdict will say the run is invalid
            }
        }, injectAt, TimeUnit.MILLISECONDS);
        clock.schedule(() -> revertIfStillActive(active, progress), revertAt, TimeUnit.MILLISECONDS);
    }

    private static void revertIfStillActive(AtomicReference<ActiveFault> active, LiveProgress progress) {
        ActiveFault fault = active.getAndSet(null);
        if (fault != null) {
            try {
                fault.close();
            } catch (FaultException e) {
                progress.note("revert failed: " + e.getMessage());
            }
        }
    }

    private static Optional<DurabilityEvidence> checkDurability(Experiment experiment, Environment environment,
                                                                WriteLedger ledger, LiveProgress progress) {
        if (experiment.durability().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(experiment.durability().get().check(environment, ledger.all()));
        } catch (RuntimeException e) {
            progress.note("durability check failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Map<String, String> parameters(Experiment experiment, Fault fault) {
        Map<String, String> parameters = new LinkedHashMap<>(experiment.parameters());
        parameters.put("fault", fault.name() + ": " + fault.describe() + ", for " + parameters.get("fault"));
        return parameters;
    }

    private void printHeader(Experiment experiment, Environment environment, Fault fault, Path directory) {
        out.printf("gameday: experiment '%s' against %s%n", experiment.name(), environment.name());
        out.printf("  %s%n", experiment.description());
        experiment.parameters().forEach((key, value) -> out.printf("  %-16s %s%n", key, value));
        out.printf("  %-16s %s%n", "injects", fault);
        out.printf("  %-16s %s%n", "results", directory.toAbsolutePath());
        out.flush();
    }

    private static List<Path> writeReports(RunReport report, Path directory) {
        try {
            return Reports.writeAll(report, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the reports into " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ExperimentException("Cannot create the results directory " + directory.toAbsolutePath() + ": "
                    + e.getMessage() + ". Choose another with --results or resultsIn(..).", e);
        }
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(Fault.DEFAULT_VERIFY_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook will close the environment
        }
    }
}
