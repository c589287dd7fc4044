package dev.gameday.scenarios.cli;

import dev.gameday.assertions.Criterion;
import dev.gameday.assertions.RecoveryObjective;
import dev.gameday.assertions.Verdict;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.demo.Flaw;
import dev.gameday.faults.FaultJournal;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentException;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.OpenLoad;
import dev.gameday.scenarios.catalogue.Catalogue;
import dev.gameday.scenarios.file.ExperimentFile;
import dev.gameday.scenarios.file.ExperimentFileException;
import dev.gameday.reports.ConsoleReport;
import dev.gameday.reports.Reports;
import dev.gameday.reports.RunReport;
import dev.gameday.scenarios.internal.journal.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The command line: runs an experiment of the catalogue against the bundled demo trading system, or the experiment
 * an experiment file describes ({@link ExperimentFile}, documented in {@code docs/experiment-file.md}).
 *
 * <pre>
 * gameday list
 * gameday run redis-timeouts
 * gameday run redis-timeouts --negative-control
 * gameday run redis-timeouts --negative-control --fail-fast
 * gameday run redis-timeouts --rate 400 --fault 30s --results /tmp/gameday
 * gameday run my-experiment.yaml --rate 100
 * gameday check my-experiment.yaml
 * gameday report gameday-results/redis-timeouts-20261130-101500
 * </pre>
 *
 * <p>Exit status: 0 passed, 1 failed, 2 invalid, 3 the run could not be carried out, 64 the command line was wrong;
 * 130 (the JVM's own, for SIGINT) interrupted by Ctrl-C, after the runner's shutdown hook reverted the faults and
 * stopped the environment.
 */
public final class GamedayCli {

    public static final int PASSED = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    public static final int COULD_NOT_RUN = 3;
    public static final int USAGE = 64;

    // Ranges for a game day on one machine: long enough to measure, short enough that a typo such as 99999h is caught
    // before the system starts instead of running for years. FaultSchedule sets the outer bounds of the Java API.
    static final DurationOption WARMUP = new DurationOption("--warmup", Duration.ZERO, Duration.ofMinutes(10));
    static final DurationOption BASELINE = new DurationOption("--baseline", Duration.ofSeconds(5), Duration.ofHours(1));
    static final DurationOption FAULT = new DurationOption("--fault", FaultSchedule.MIN_FAULT, Duration.ofHours(1));
    static final DurationOption OBSERVE = new DurationOption("--observe", Duration.ofSeconds(5), Duration.ofHours(1));
    private static final String MAX_RATE = String.valueOf((long) OpenLoad.MAX_RATE_PER_SECOND);
    // a decimal number, or what Java calls the non-finite ones, so that those get the range and not the format message
    private static final Pattern RATE = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity)");

    static final String HELP = """
            Usage: gameday <command> [options]

            Commands:
              list                     the experiments of the catalogue and their negative controls
              run <experiment>         run one against the bundled demo trading system and write a report
              run <file.yaml>          run the experiment a file describes (docs/experiment-file.md)
              check <file.yaml>        check a file and print its experiment, without starting anything
              report <directory>       the report of one run from its results directory, complete or partial
                                       (a run that was killed leaves what it measured; it is never a pass)
              cleanup                  revert every fault a killed run left applied, from the fault journal
                                       (every run does this first; exit 0 when nothing is left applied)

            Options for run (they override a file's settings):
              --negative-control       run against the demo system with the experiment's deliberate flaw; must FAIL
                                       (catalogue experiments only; a file names its flaws itself)
              --flaw <name>            switch a demo-system flaw on (repeatable; catalogue experiments only): %s
              --rate <requests/s>      arrival rate of the open-model load, above 0 and at most %s
              --warmup <duration>      unassessed lead-in, e.g. 10s; %s
              --baseline <duration>    healthy load before the fault, e.g. 20s; %s
              --fault <duration>       how long the fault lasts, e.g. 20s; %s
              --observe <duration>     load after the fault is reverted, e.g. 30s; %s
              --results <directory>    where each run gets its directory (default: gameday-results)
              --fail-fast              stop as soon as the verdict is known (an objective violated in a phase that
                                       has ended, or a fault that cannot have reached the system): the fault is
                                       reverted, writes still checked, the phases cut short reported as not judged

            Exit status: 0 passed, 1 failed, 2 invalid run, 3 could not run, 64 wrong command line,
            130 interrupted (Ctrl-C: faults reverted, environment stopped).
            """;

    private GamedayCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Invocation invocation;
        try {
            invocation = parse(List.of(args));
        } catch (ExperimentFileException e) {
            err.println("gameday: " + e.getMessage());
            err.println("docs/experiment-file.md describes the file format.");
            return USAGE;
        } catch (UsageException | IllegalArgumentException e) {
            err.println("gameday: " + e.getMessage());
            err.println("Run 'gameday help' for usage.");
            return USAGE;
        }
        if (invocation == null) {
            out.print(help());
            return PASSED;
        }
        if (invocation.report() != null) {
            return report(invocation.report(), out, err);
        }
        if (invocation.cleanup()) {
            return cleanup(FaultJournal.standard(), out, err);
        }
        if (invocation.checkOnly()) {
            out.print(summary(invocation.experiment()));
            return PASSED;
        }
        if (invocation.experiment() == null) {
            Catalogue.entries().forEach(entry -> out.printf("%-20s incident %s; negative control: %s%n", entry.name(),
                    entry.incident(), entry.negativeControlFlaws().stream().map(Flaw::id).sorted().toList()));
            return PASSED;
        }
        try {
            ExperimentRunner runner = ExperimentRunner.create().resultsIn(invocation.results()).printingTo(out);
            ExperimentResult result = (invocation.failFast() ? runner.failFast() : runner).run(invocation.experiment());
            return exitStatus(result.verdict());
        } catch (EnvironmentUnavailableException | ExperimentException | IllegalArgumentException | IllegalStateException e) {
            // what could not be carried out, said in one line; the log above has the details
            err.println("gameday: " + e.getMessage());
            return COULD_NOT_RUN;
        }
    }

    /**
     * Reverts what killed runs left applied; exit 0 when nothing is left, 3 when an entry could not be reverted (it
     * stays in the journal for another attempt).
     */
    static int cleanup(FaultJournal journal, PrintStream out, PrintStream err) {
        List<String> lines = journal.cleanup();
        if (lines.isEmpty()) {
            out.println("gameday: cleanup: no fault left applied by a killed run (journal " + journal.directory() + ")");
        }
        lines.forEach(line -> out.println("gameday: cleanup: " + line));
        long live = journal.entries().stream().filter(FaultJournal.Entry::ownerAlive).count();
        if (live > 0) {
            out.println("gameday: cleanup: " + live + " fault(s) belong to runs still going; they were left alone");
        }
        boolean failed = !journal.leftovers().isEmpty();
        if (failed) {
            err.println("gameday: cleanup: some faults could not be reverted; see above");
        }
        return failed ? COULD_NOT_RUN : PASSED;
    }

    /** Renders a run's report from its results directory, writes the report files there, and exits by its verdict. */
    private static int report(Path directory, PrintStream out, PrintStream err) {
        RunReport report;
        try {
            report = RunRecord.read(directory);
        } catch (IllegalArgumentException e) {
            err.println("gameday: report: " + e.getMessage());
            return COULD_NOT_RUN;
        }
        out.print(ConsoleReport.forStandardOutput().render(report));
        try {
            Reports.writeAll(report, directory);
            out.printf("%nReports written to %s%n", directory.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            err.println("gameday: report: could not write the report files into " + directory.toAbsolutePath() + ": "
                    + e.getMessage());
        }
        return exitStatus(report.evaluation().verdict());
    }

    /** What an experiment will do, for 'gameday check': everything but the run. */
    static String summary(Experiment experiment) {
        StringBuilder text = new StringBuilder();
        text.append("gameday: experiment '").append(experiment.name()).append("' is valid; nothing was started.\n");
        text.append("  ").append(experiment.description()).append('\n');
        text.append(String.format("  %-16s %s%n", "environment", experiment.environment()));
        experiment.parameters().forEach((key, value) -> text.append(String.format("  %-16s %s%n", key, value)));
        experiment.faults().forEach(fault -> text.append(String.format("  %-16s %s%n", "injects", fault)));
        Duration length = experiment.duration();
        text.append(String.format("  %-16s %s%n", "runs for", length.toMillis() % 1_000 == 0 ? length.toSeconds() + " s"
                : length.toMillis() + " ms"));
        text.append("  objectives\n");
        experiment.objectives().objectives().forEach(objective -> {
            String criteria = objective instanceof RecoveryObjective recovery
                    ? " (" + String.join(", ", recovery.steadyState().stream().map(Criterion::describe).toList())
                    + " for " + DurationOption.format(recovery.holdFor()) + ")"
                    : "";
            text.append(String.format("    %-12s %s%s%n", objective.scope(), objective.name(), criteria));
        });
        experiment.durability().ifPresent(check -> text.append(String.format("  %-16s %s%n", "durability",
                check.store())));
        return text.toString();
    }

    private static int exitStatus(Verdict verdict) {
        return verdict == Verdict.PASSED ? PASSED : verdict == Verdict.FAILED ? FAILED : INVALID;
    }

    static String help() {
        return HELP.formatted(String.join(", ", EnumSet.allOf(Flaw.class).stream().map(Flaw::id).toList()),
                MAX_RATE, range(WARMUP), range(BASELINE), range(FAULT), range(OBSERVE));
    }

    private static String range(DurationOption option) {
        return DurationOption.format(option.min()) + " to " + DurationOption.format(option.max());
    }

    /** Parses and validates everything before anything starts; null means "print the help". */
    static Invocation parse(List<String> arguments) {
        Deque<String> args = new ArrayDeque<>(arguments);
        String command = args.poll();
        if (command == null || command.equals("help") || command.equals("--help") || command.equals("-h")) {
            return null;
        }
        if (command.equals("list")) {
            requireEmpty(args);
            return new Invocation(null, ExperimentRunner.DEFAULT_RESULTS, null, false, false);
        }
        if (command.equals("cleanup")) {
            requireEmpty(args);
            return new Invocation(null, ExperimentRunner.DEFAULT_RESULTS, null, false, true);
        }
        if (command.equals("check")) {
            String file = args.poll();
            if (file == null || file.startsWith("--")) {
                throw new UsageException("'check' needs an experiment file, for example"
                        + " examples/catalogue/redis-timeouts.yaml.");
            }
            requireEmpty(args);
            return new Invocation(ExperimentFile.read(Path.of(file)), ExperimentRunner.DEFAULT_RESULTS, null, true, false);
        }
        if (command.equals("report")) {
            String directory = args.poll();
            if (directory == null || directory.startsWith("--")) {
                throw new UsageException("'report' needs the results directory of one run, for example"
                        + " gameday-results/redis-timeouts-20261130-101500.");
            }
            requireEmpty(args);
            Path path = Path.of(directory);
            if (!Files.isDirectory(path)) {
                throw new UsageException("report: expected the results directory of one run, but '" + directory
                        + "' is not a directory. 'ls gameday-results' lists the runs.");
            }
            return new Invocation(null, ExperimentRunner.DEFAULT_RESULTS, path, false, false);
        }
        if (!command.equals("run")) {
            throw new UsageException("unknown command '" + command + "'; expected 'run', 'check', 'report', 'list' or"
                    + " 'help'.");
        }
        String name = args.poll();
        if (name == null || name.startsWith("--")) {
            throw new UsageException("'run' needs an experiment name or file; expected one of "
                    + Catalogue.entries().stream().map(Catalogue.Entry::name).toList() + ", or a file such as"
                    + " my-experiment.yaml.");
        }
        Experiment fromFile = isFile(name) ? ExperimentFile.read(Path.of(name)) : null;
        Catalogue.Entry entry = fromFile != null ? null : Catalogue.find(name).orElseThrow(() -> new UsageException("unknown experiment '" + name
                + "'; expected one of " + Catalogue.entries().stream().map(Catalogue.Entry::name).toList()
                + ". 'gameday list' shows them."));
        Set<Flaw> flaws = EnumSet.noneOf(Flaw.class);
        boolean negativeControl = false;
        boolean failFast = false;
        Double rate = null;
        Duration warmup = null;
        Duration baseline = null;
        Duration fault = null;
        Duration observe = null;
        Path results = ExperimentRunner.DEFAULT_RESULTS;
        while (!args.isEmpty()) {
            String option = args.poll();
            switch (option) {
                case "--negative-control" -> negativeControl = true;
                case "--fail-fast" -> failFast = true;
                case "--flaw" -> flaws.add(Flaw.fromId(value(option, args)));
                case "--rate" -> rate = rate(value(option, args));
                case "--warmup" -> warmup = WARMUP.parse(value(option, args));
                case "--baseline" -> baseline = BASELINE.parse(value(option, args));
                case "--fault" -> fault = FAULT.parse(value(option, args));
                case "--observe" -> observe = OBSERVE.parse(value(option, args));
                case "--results" -> results = Path.of(value(option, args));
                default -> throw new UsageException("unknown option '" + option + "' for 'run'; 'gameday help' lists them.");
            }
        }
        if (fromFile != null && (negativeControl || !flaws.isEmpty())) {
            throw new UsageException((negativeControl ? "--negative-control" : "--flaw") + " applies to catalogue"
                    + " experiments; an experiment file names its flaws itself (environment.demo.flaws), and its"
                    + " negative control is a file of its own.");
        }
        if (negativeControl && !flaws.isEmpty()) {
            throw new UsageException("--negative-control already chooses the flaws " + entry.negativeControlFlaws()
                    + "; drop --flaw, or drop --negative-control to choose flaws yourself.");
        }
        Experiment experiment = fromFile != null ? fromFile
                : negativeControl ? entry.negativeControl() : entry.against().apply(flaws);
        if (rate != null) {
            experiment = experiment.withLoad(experiment.load().withRate(rate));
        }
        if (warmup != null) {
            experiment = experiment.withLoad(experiment.load().withWarmup(warmup));
        }
        FaultSchedule schedule = experiment.schedule();
        experiment = experiment.withSchedule(new FaultSchedule(baseline == null ? schedule.baseline() : baseline,
                fault == null ? schedule.fault() : fault, observe == null ? schedule.observe() : observe));
        return new Invocation(experiment, results, null, false, false, failFast);
    }

    /** A path that exists, or that ends in .yaml or .yml, is an experiment file; anything else a catalogue name. */
    private static boolean isFile(String argument) {
        if (argument.endsWith(".yaml") || argument.endsWith(".yml")) {
            return true;
        }
        try {
            return Files.isRegularFile(Path.of(argument));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String value(String option, Deque<String> args) {
        String value = args.poll();
        if (value == null || value.startsWith("--")) {
            throw new UsageException(option + " needs a value.");
        }
        return value;
    }

    private static double rate(String value) {
        if (!RATE.matcher(value.trim()).matches()) {
            throw new UsageException("--rate: expected requests per second such as 200, but found '" + value + "'.");
        }
        double rate = Double.parseDouble(value.trim());
        if (!(Double.isFinite(rate) && rate > 0 && rate <= OpenLoad.MAX_RATE_PER_SECOND)) {
            throw new UsageException("--rate: expected requests per second above 0 and at most " + MAX_RATE
                    + ", but found '" + value + "'.");
        }
        return rate;
    }

    private static void requireEmpty(Deque<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("unexpected argument '" + args.peek() + "'.");
        }
    }

    /**
     * A parsed command line: an experiment to run (or only to check), a results directory to report on, or neither to
     * list the catalogue.
     */
    record Invocation(Experiment experiment, Path results, Path report, boolean checkOnly, boolean cleanup,
                      boolean failFast) {
        Invocation(Experiment experiment, Path results, Path report, boolean checkOnly, boolean cleanup) {
            this(experiment, results, report, checkOnly, cleanup, false);
        }
    }
}
