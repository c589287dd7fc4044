package dev.gameday.scenarios;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Evaluator;
import dev.gameday.environments.Environment;
import dev.gameday.environments.TargetEvent;
import dev.gameday.faults.Fault;
import dev.gameday.faults.FaultJournal;
import dev.gameday.faults.SafetyNet;
import dev.gameday.reports.ConsoleReport;
import dev.gameday.reports.Reports;
import dev.gameday.reports.RunReport;
import dev.gameday.scenarios.internal.load.GatlingLauncher;
import dev.gameday.scenarios.internal.journal.RunJournal;
import dev.gameday.scenarios.internal.load.LoadPlan;
import dev.gameday.scenarios.internal.metrics.MetricsScraper;
import dev.gameday.scenarios.internal.verdict.EarlyVerdict;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    /** How long a target that (re)started is followed until the environment is healthy again. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration READY_POLL = Duration.ofMillis(250);

    public static final Path DEFAULT_RESULTS = Path.of("gameday-results");
    public static final Duration DEFAULT_PROGRESS_PERIOD = Duration.ofSeconds(5);
    /**
     * Seconds older than the request timeout plus this margin are compressed in the timeline: no request in flight can
     * still belong to them, and an hour-long run then holds tens of megabytes instead of gigabytes.
     */
    private static final Duration SEAL_MARGIN = Duration.ofSeconds(2);
    private static final String LOGS = "logs";
    private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path resultsRoot;
    private final PrintStream out;
    private final Duration progressPeriod;
    private final boolean failFast;

    private ExperimentRunner(Path resultsRoot, PrintStream out, Duration progressPeriod, boolean failFast) {
        this.resultsRoot = resultsRoot;
        this.out = out;
        this.progressPeriod = progressPeriod;
        this.failFast = failFast;
    }

    /** A runner writing under {@code gameday-results/} and printing to standard output. */
    public static ExperimentRunner create() {
        return new ExperimentRunner(DEFAULT_RESULTS, System.out, DEFAULT_PROGRESS_PERIOD, false);
    }

    /** Writes each run into its own directory under {@code root}. */
    public ExperimentRunner resultsIn(Path root) {
        return new ExperimentRunner(root, out, progressPeriod, failFast);
    }

    /** Prints progress and the final report to {@code stream}. */
    public ExperimentRunner printingTo(PrintStream stream) {
        return new ExperimentRunner(resultsRoot, stream, progressPeriod, failFast);
    }

    /** Prints the figures of the last {@code period} that often while the load runs. */
    public ExperimentRunner progressEvery(Duration period) {
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("Progress period must be at least 1 s (the timeline's resolution), but was "
                    + period + ".");
        }
        return new ExperimentRunner(resultsRoot, out, period, failFast);
    }

    /**
     * Stops each run as soon as its verdict is known, instead of at its planned end: once an objective is violated in
     * a phase that has ended (judged on the whole phase, exactly as at the end), or once its fault cannot have reached
     * the system, could not be injected or could not be reverted. The load stops, an active fault is reverted, the
     * acknowledged writes are still checked, the phases cut short are reported as not judged, and the timeline and the
     * report say why the run stopped. A run that is passing runs to its end. For a CI stage that needs the verdict,
     * and for negative controls, which are meant to fail.
     *
     * <pre>{@code
     * ExperimentResult control = ExperimentRunner.create().failFast().run(entry.negativeControl());
     * }</pre>
     */
    public ExperimentRunner failFast() {
        return new ExperimentRunner(resultsRoot, out, progressPeriod, true);
    }

    /**
     * Starts the experiment's environment, runs the experiment against it and stops the environment, on every
     * outcome (and from a shutdown hook if the JVM stops first). One experiment runs at a time in a JVM: a call while
     * another is running fails at once, before anything starts.
     *
     * @throws ExperimentException when the run could not be carried out (the environment would not start, the load
     *                             generator failed); a run that completes always returns a result, whatever its verdict
     */
    public ExperimentResult run(Experiment experiment) {
        Claim claim = Claim.of(experiment);
        try {
            return startAndRun(experiment);
        } finally {
            claim.release();
        }
    }

    private ExperimentResult startAndRun(Experiment experiment) {
        revertLeftovers();
        out.printf("gameday: starting the environment for experiment '%s'%n", experiment.name());
        Environment environment = experiment.environment().start();
        AtomicReference<AutoCloseable> watch = new AtomicReference<>();
        // Ctrl-C: faults first (they act on the environment), then the environment itself.
        Thread cleanup = new Thread(() -> {
            System.err.println("gameday: interrupted: reverting active faults, then stopping the environment");
            // the harness stops the targets now: their deaths are not news about the system under test
            unwatch(watch.getAndSet(null));
            SafetyNet.revertAll().forEach(failure -> System.err.println("gameday: " + failure));
            environment.close();
        }, "gameday-environment-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        // The hook stays until the environment is stopped: Ctrl-C during the stop (seconds) would otherwise end the
        // JVM half-way and leave the containers to the reaper. The hook's close() then waits for this one to finish.
        try (environment) {
            return runAgainst(experiment, environment, watch);
        } finally {
            removeHook(cleanup);
        }
    }

    /**
     * Runs the experiment against an environment that is already running, instead of the experiment's own; the
     * caller owns it and stops it (this method never does). Faults it injected are reverted before it returns,
     * whatever the outcome, and by {@link SafetyNet}'s shutdown hook if the JVM stops first.
     *
     * <pre>{@code
     * try (Environment shared = DemoTradingSystem.builder().start()) {
     *     ExperimentResult first = runner.run(RedisTimeouts.experiment(), shared);
     * }
     * }</pre>
     *
     * @throws ExperimentException as {@link #run(Experiment)}, and when another experiment is running in this JVM
     */
    public ExperimentResult run(Experiment experiment, Environment environment) {
        Claim claim = Claim.of(experiment);
        try {
            revertLeftovers();
            return runAgainst(experiment, environment, new AtomicReference<>());
        } finally {
            claim.release();
        }
    }

    /**
     * Before anything starts: faults a killed run left applied (its journal entries, whose owner is gone) are
     * reverted, so this run does not measure another's fault. A revert that fails is reported and kept in the journal.
     */
    private void revertLeftovers() {
        FaultJournal.standard().cleanup().forEach(line -> out.println("gameday: fault journal: " + line));
    }

    /** Runs it, keeping the watch on its targets in {@code watch}, so that the Ctrl-C hook can end the watch first. */
    private ExperimentResult runAgainst(Experiment experiment, Environment environment,
                                        AtomicReference<AutoCloseable> watch) {
        Path directory = resultsRoot.resolve(experiment.name() + "-"
                + ZonedDateTime.now(ZoneOffset.UTC).format(RUN_STAMP));
        createDirectories(directory);
        try {
            return run(experiment, environment, directory, watch);
        } finally {
            // on every outcome, failures and exceptions included: the logs are where their causes are
            saveLogs(environment, directory);
        }
    }

    private ExperimentResult run(Experiment experiment, Environment environment, Path directory,
                                 AtomicReference<AutoCloseable> watch) {
        // through the entry point's proxy if it has one, so that a network fault on it reaches the load
        URI baseUri = environment.entryPoint().clientEndpoint().uri("http");
        List<Fault> faults = resolveFaults(experiment, environment);
        for (int i = 0; i < faults.size(); i++) {
            requireVerifiable(experiment, faults.get(i), slotLength(experiment, experiment.faults().get(i)));
        }
        printHeader(experiment, environment, faults, directory);

        WriteLedger ledger = new WriteLedger();
        experiment.traffic().seed(baseUri, ledger);
        List<TrafficRequest> requests = experiment.traffic().requests(ledger);
        TimelineRecorder recorder = TimelineRecorder.create();
        List<SeriesRecorder> series = requests.stream().map(r -> recorder.series(r.series())).toList();
        LiveProgress progress = new LiveProgress(recorder, out, experiment.load().warmup(), experiment.faultAt(),
                experiment.objectives().recoveryBound());
        Map<String, String> parameters = parameters(experiment, faults);
        try (RunJournal journal = RunJournal.open(directory)) {
            // streamed as it happens: a run that dies leaves what it measured so far ('gameday report' reads it)
            recorder.listener(journal);
            RunJournal.Definition definition = new RunJournal.Definition(experiment.name(), environment.name(),
                    experiment.description(), parameters, experiment.load().warmup(), experiment.objectives());
            ScheduledThreadPoolExecutor ticks = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "gameday-progress");
                thread.setDaemon(true);
                return thread;
            });
            List<ScheduledFault> scheduled = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicReference<InjectorMonitor> monitor = new AtomicReference<>();
            AtomicReference<MetricsScraper> scraper = new AtomicReference<>(); // metrics: server-side series
            AtomicReference<String> stop = new AtomicReference<>(); // why the run stopped early (fail fast)
            LoadPlan plan = new LoadPlan(baseUri, requests, series, experiment.load().ratePerSecond(),
                    experiment.load().warmup(), experiment.duration(), experiment.load().requestTimeout(), recorder,
                    ledger, started -> {
                        recorder.start(started.offered());
                        journal.started(definition, recorder);
                        watch.set(watchTargets(environment, progress));
                        monitor.set(InjectorMonitor.start(recorder, Duration.ofSeconds(1)));
                        scraper.set(MetricsScraper.start(environment.entryPoint().endpoint().uri("http"), // metrics
                                experiment.serverMetrics(), recorder, Duration.ofSeconds(1), progress::note));
                        for (int i = 0; i < faults.size(); i++) {
                            FaultSource source = experiment.faults().get(i);
                            ScheduledFault script = new ScheduledFault(faults.get(i), progress,
                                    experiment.load().warmup(), experiment.faultAt().plus(source.offset()),
                                    slotLength(experiment, source), ScheduledFault.on(recorder));
                            scheduled.add(script);
                            script.start();
                        }
                        long period = progressPeriod.toMillis();
                        Duration sealAfter = experiment.load().requestTimeout().plus(SEAL_MARGIN);
                        ticks.scheduleAtFixedRate(() -> {
                            progress.tick(progressPeriod);
                            journal.append(recorder.seal(sealAfter));
                        }, period, period, TimeUnit.MILLISECONDS);
                        if (failFast) {
                            EarlyVerdict early = new EarlyVerdict(experiment.objectives(), experiment.load().warmup(),
                                    sealAfter);
                            ticks.scheduleWithFixedDelay(() -> stopIfDecided(early, recorder, stop), 1, 1,
                                    TimeUnit.SECONDS);
                        }
                    }, failFast ? Optional.of(stop) : Optional.empty());
            try {
                int status;
                try {
                    status = GatlingLauncher.run(plan, directory.resolve("gatling"));
                } finally {
                    ticks.shutdownNow();
                    // the load has ended, or failed: a fault still active is reverted now, one not yet injected never will be
                    // newest slot first, like a FaultSet: a later fault may depend on an earlier one's state
                    for (int i = scheduled.size() - 1; i >= 0; i--) {
                        scheduled.get(i).close();
                    }
                    Optional.ofNullable(monitor.get()).ifPresent(InjectorMonitor::close);
                    Optional.ofNullable(scraper.get()).ifPresent(MetricsScraper::close); // metrics
                }
                if (status != 0 || !recorder.isStarted()) {
                    throw new ExperimentException("The load generator failed (Gatling exit status " + status
                            + ") in experiment '" + experiment.name() + "'; its log is above. Nothing was assessed.");
                }
                Optional<DurabilityEvidence> durability = checkDurability(experiment, environment, ledger, progress);
                Timeline timeline = recorder.snapshot();
                journal.failures(timeline.intervals());
                journal.finished(durability);
                Evaluation evaluation = Evaluator.evaluate(timeline, experiment.objectives(), experiment.load().warmup(),
                        durability);
                RunReport report = new RunReport(experiment.name(), environment.name(), experiment.description(),
                        parameters, timeline, evaluation);
                List<Path> files = new ArrayList<>(writeReports(report, directory));
                files.add(directory.resolve(RunJournal.FILE_NAME));
                files.add(directory.resolve(LOGS));
                out.println();
                out.print(ConsoleReport.forStandardOutput().render(report));
                out.printf("%nResults written to %s%n", directory.toAbsolutePath());
                out.flush();
                return new ExperimentResult(report, directory, files);
            } finally {
                // on every path: the watch ends with the run, whether it finished, failed or was interrupted
                unwatch(watch.getAndSet(null));
            }
        }
    }

    /** Fail fast: once the run's verdict is known, says why on the timeline and stops the load. */
    private void stopIfDecided(EarlyVerdict early, TimelineRecorder recorder, AtomicReference<String> stop) {
        if (stop.get() != null) {
            return;
        }
        try {
            Optional<String> reason = early.reason(recorder.skeleton(), recorder::snapshot, recorder.elapsed(),
                    recorder::inFlight);
            if (reason.isPresent()) {
                recorder.stopped(reason.get());
                stop.set(reason.get());
                out.printf("gameday: fail fast: stopping the run, its verdict is known: %s%n", reason.get());
            }
        } catch (RuntimeException e) {
            // never the reason a run fails: it goes on to its planned end and is judged there (thrown on, the
            // exception ends these checks: the executor runs a failed periodic task no more)
            out.printf("gameday: fail fast: could not judge the run early (%s); it runs to its planned end%n", e);
            throw e;
        }
    }

    /**
     * Puts every target death, start and out-of-memory kill on the timeline while the run lasts; a run whose
     * environment cannot be watched goes on without (and says so).
     */
    private static AutoCloseable watchTargets(Environment environment, LiveProgress progress) {
        try {
            return environment.watch(event -> {
                progress.target(event);
                if (event.kind() == TargetEvent.Kind.STARTED) {
                    awaitReady(environment, event, progress);
                }
            });
        } catch (RuntimeException e) {
            progress.note("the targets' containers cannot be watched, so a target that dies is not on the timeline: "
                    + e.getMessage());
            return null;
        }
    }

    /**
     * A target that (re)started during the run, after a kill or an OOM kill, is followed until the environment
     * reports itself healthy again, which goes on the timeline as the target's own recovery; on a thread of its own,
     * bounded by READY_TIMEOUT.
     */
    private static void awaitReady(Environment environment, TargetEvent started, LiveProgress progress) {
        Thread follower = new Thread(() -> {
            long start = System.nanoTime();
            String last = "";
            while (System.nanoTime() - start < READY_TIMEOUT.toNanos()) {
                try {
                    environment.checkHealthy();
                    progress.targetReady(started.target(), String.format(java.util.Locale.ROOT,
                            "the environment is healthy %.1f s after the start", (System.nanoTime() - start) / 1e9));
                    return;
                } catch (RuntimeException e) {
                    last = e.getMessage();
                }
                try {
                    Thread.sleep(READY_POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            progress.note("target '" + started.target() + "' started but the environment was not healthy within "
                    + READY_TIMEOUT.toSeconds() + " s: " + last);
        }, "gameday-ready-" + started.target());
        follower.setDaemon(true);
        follower.start();
    }

    private void unwatch(AutoCloseable watch) {
        if (watch == null) {
            return;
        }
        try {
            watch.close();
        } catch (Exception e) {
            out.printf("gameday: could not stop watching the targets: %s%n", e.getMessage());
        }
    }

    /**
     * Before any load: the fault's target must exist and support it (a network fault needs a proxy in front of its
     * target), which only the running environment can tell.
     */
    private static List<Fault> resolveFaults(Experiment experiment, Environment environment) {
        List<Fault> faults = new ArrayList<>();
        for (FaultSource source : experiment.faults()) {
            try {
                faults.add(Objects.requireNonNull(source.on(environment), "the fault source returned no fault"));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ExperimentException("Experiment '" + experiment.name() + "': its fault cannot act on"
                        + " environment '" + environment.name() + "': " + e.getMessage()
                        + " Nothing was run: no load was sent.", e);
            }
        }
        List<String> names = faults.stream().map(Fault::name).toList();
        List<String> twice = names.stream().filter(n -> java.util.Collections.frequency(names, n) > 1).distinct()
                .toList();
        if (!twice.isEmpty()) {
            throw new ExperimentException("Experiment '" + experiment.name() + "': faults " + twice + " are named more"
                    + " than once, so the timeline could not tell them apart. Name them apart with Fault.named(..)."
                    + " Nothing was run: no load was sent.");
        }
        return faults;
    }

    /** How long a fault lasts: its slot, or from its offset to the end of the fault window. */
    private static Duration slotLength(Experiment experiment, FaultSource source) {
        return source.length().orElse(experiment.schedule().fault().minus(source.offset()));
    }

    /** Before any load: a fault shorter than its effect takes to verify could never be shown to have happened. */
    private static void requireVerifiable(Experiment experiment, Fault fault, Duration length) {
        Duration minimum = fault.minimumDuration();
        if (length.compareTo(minimum) < 0) {
            throw new ExperimentException("Experiment '" + experiment.name() + "': fault '" + fault.name() + "' lasts "
                    + length.toMillis() + " ms, but verifying that it took effect needs at least "
                    + minimum.toMillis() + " ms (" + fault.describe() + "). Lengthen the fault (--fault).");
        }
    }

    private void saveLogs(Environment environment, Path directory) {
        try {
            environment.saveLogs(directory.resolve(LOGS));
        } catch (RuntimeException e) {
            out.printf("gameday: could not save the containers' logs into %s: %s%n", directory.resolve(LOGS),
                    e.getMessage());
        }
    }

    private static Optional<DurabilityEvidence> checkDurability(Experiment experiment, Environment environment,
                                                                WriteLedger ledger, LiveProgress progress) {
        if (experiment.durability().isEmpty()) {
            return Optional.empty();
        }
        DurabilityCheck check = experiment.durability().get();
        try {
            return Optional.of(check.check(environment, ledger.all()));
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            progress.note("durability check failed: " + error);
            return Optional.of(DurabilityEvidence.checkFailed(check.store(), error));
        }
    }

    private Map<String, String> parameters(Experiment experiment, List<Fault> faults) {
        Map<String, String> parameters = new LinkedHashMap<>(experiment.parameters());
        String window = parameters.get("fault");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            FaultSource source = experiment.faults().get(i);
            String slot = source.offset().isZero() && source.length().isEmpty() ? "for " + window
                    : "from " + seconds(source.offset()) + " into the window, for "
                    + seconds(slotLength(experiment, source));
            lines.add(faults.get(i).name() + ": " + faults.get(i).describe() + ", " + slot);
        }
        parameters.put("fault", String.join("; ", lines));
        return parameters;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1_000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private void printHeader(Experiment experiment, Environment environment, List<Fault> faults, Path directory) {
        out.printf("gameday: experiment '%s' against %s%n", experiment.name(), environment.name());
        out.printf("  %s%n", experiment.description());
        experiment.parameters().forEach((key, value) -> out.printf("  %-16s %s%n", key, value));
        faults.forEach(fault -> out.printf("  %-16s %s%n", "injects", fault));
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

    /**
     * The load generator keeps static state (Gatling's simulation is configured through static fields and system
     * properties), so two experiments in one JVM would measure each other. The second one fails at once instead.
     */
    private static final class Claim {
        private static final AtomicReference<Claim> HOLDER = new AtomicReference<>();
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
                .withZone(ZoneOffset.UTC);

        private final String experiment;
        private final Instant since;

        private Claim(String experiment, Instant since) {
            this.experiment = experiment;
            this.since = since;
        }

        static Claim of(Experiment experiment) {
            Claim claim = new Claim(experiment.name(), Instant.now());
            Claim running = HOLDER.compareAndExchange(null, claim);
            if (running != null) {
                throw new ExperimentException("Experiment '" + experiment.name() + "' cannot start: another experiment ('"
                        + running.experiment + "') is running in this JVM since " + TIME.format(running.since)
                        + "; Gameday runs one experiment at a time per JVM: run them one after another, or in separate"
                        + " JVMs (surefire forkCount).");
            }
            return claim;
        }

        void release() {
            HOLDER.compareAndSet(this, null);
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
