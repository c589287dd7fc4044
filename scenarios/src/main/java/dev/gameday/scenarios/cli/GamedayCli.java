package dev.gameday.scenarios.cli;

import dev.gameday.assertions.Verdict;
import dev.gameday.environments.EnvironmentUnavailableException;
import dev.gameday.environments.demo.Flaw;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentException;
import dev.gameday.scenarios.ExperimentResult;
import dev.gameday.scenarios.ExperimentRunner;
import dev.gameday.scenarios.FaultSchedule;
import dev.gameday.scenarios.catalogue.Catalogue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: runs an experiment of the catalogue against the bundled demo trading system.
 *
 * <pre>
 * gameday list
 * gameday run redis-timeouts
 * gameday run redis-timeouts --negative-control
 * gameday run redis-timeouts --rate 400 --fault 30s --results /tmp/gameday
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

    static final String HELP = """
            Usage: gameday <command> [options]

            Commands:
              list                     the experiments of the catalogue and their negative controls
              run <experiment>         run one against the bundled demo trading system and write a report

            Options for run:
              --negative-control       run against the demo system with the experiment's deliberate flaw; must FAIL
              --flaw <name>            switch a demo-system flaw on (repeatable): %s
              --rate <requests/s>      arrival rate of the open-model load
              --warmup <duration>      unassessed lead-in, e.g. 10s
              --baseline <duration>    healthy load before the fault, e.g. 20s
              --fault <duration>       how long the fault lasts, e.g. 20s
              --observe <duration>     load after the fault is reverted, e.g. 30s
              --results <directory>    where each run gets its directory (default: gameday-results)

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
        } catch (UsageException | IllegalArgumentException e) {
            err.println("gameday: " + e.getMessage());
            err.println("Run 'gameday help' for usage.");
            return USAGE;
        }
        if (invocation == null) {
            out.print(help());
            return PASSED;
        }
        if (invocation.experiment() == null) {
            Catalogue.entries().forEach(entry -> out.printf("%-20s incident %s; negative control: %s%n", entry.name(),
                    entry.incident(), entry.negativeControlFlaws().stream().map(Flaw::configName).sorted().toList()));
            return PASSED;
        }
        try {
            ExperimentResult result = ExperimentRunner.create().resultsIn(invocation.results()).printingTo(out)
                    .run(invocation.experiment());
            return result.verdict() == Verdict.PASSED ? PASSED : result.verdict() == Verdict.FAILED ? FAILED : INVALID;
        } catch (EnvironmentUnavailableException | ExperimentException | IllegalArgumentException | IllegalStateException e) {
            // what could not be carried out, said in one line; the log above has the details
            err.println("gameday: " + e.getMessage());
            return COULD_NOT_RUN;
        }
    }

    static String help() {
        return HELP.formatted(String.join(", ", EnumSet.allOf(Flaw.class).stream().map(Flaw::configName).toList()));
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
            return new Invocation(null, ExperimentRunner.DEFAULT_RESULTS);
        }
        if (!command.equals("run")) {
            throw new UsageException("unknown command '" + command + "'; expected 'run', 'list' or 'help'.");
        }
        String name = args.poll();
        if (name == null || name.startsWith("--")) {
            throw new UsageException("'run' needs an experiment name; expected one of "
                    + Catalogue.entries().stream().map(Catalogue.Entry::name).toList() + ".");
        }
        Catalogue.Entry entry = Catalogue.find(name).orElseThrow(() -> new UsageException("unknown experiment '" + name
                + "'; expected one of " + Catalogue.entries().stream().map(Catalogue.Entry::name).toList()
                + ". 'gameday list' shows them."));
        Set<Flaw> flaws = EnumSet.noneOf(Flaw.class);
        boolean negativeControl = false;
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
                case "--flaw" -> flaws.add(Flaw.fromConfigName(value(option, args)));
                case "--rate" -> rate = rate(value(option, args));
                case "--warmup" -> warmup = DurationOption.parse(option, value(option, args));
                case "--baseline" -> baseline = DurationOption.parse(option, value(option, args));
                case "--fault" -> fault = DurationOption.parse(option, value(option, args));
                case "--observe" -> observe = DurationOption.parse(option, value(option, args));
                case "--results" -> results = Path.of(value(option, args));
                default -> throw new UsageException("unknown option '" + option + "' for 'run'; 'gameday help' lists them.");
            }
        }
        if (negativeControl && !flaws.isEmpty()) {
            throw new UsageException("--negative-control already chooses the flaws " + entry.negativeControlFlaws()
                    + "; drop --flaw, or drop --negative-control to choose flaws yourself.");
        }
        Experiment experiment = negativeControl ? entry.negativeControl() : entry.against().apply(flaws);
        if (rate != null) {
            experiment = experiment.withLoad(experiment.load().withRate(rate));
        }
        if (warmup != null) {
            experiment = experiment.withLoad(experiment.load().withWarmup(warmup));
        }
        FaultSchedule schedule = experiment.schedule();
        experiment = experiment.withSchedule(new FaultSchedule(baseline == null ? schedule.baseline() : baseline,
                fault == null ? schedule.fault() : fault, observe == null ? schedule.observe() : observe));
        return new Invocation(experiment, results);
    }

    private static String value(String option, Deque<String> args) {
        String value = args.poll();
        if (value == null || value.startsWith("--")) {
            throw new UsageException(option + " needs a value.");
        }
        return value;
    }

    private static double rate(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--rate: expected requests per second such as 200, but found '" + value + "'.");
        }
    }

    private static void requireEmpty(Deque<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("unexpected argument '" + args.peek() + "'.");
        }
    }

    /** A parsed command line: an experiment to run, or none to list the catalogue. */
    record Invocation(Experiment experiment, Path results) {
    }
}
