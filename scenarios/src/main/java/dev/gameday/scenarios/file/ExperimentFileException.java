package dev.gameday.scenarios.file;

import java.util.Objects;

/**
 * An experiment file that cannot become an experiment, with where and why: the file, the line and column, the key,
 * what was expected, what was found and what to write instead. Thrown before anything starts.
 *
 * <pre>{@code
 * try {
 *     Experiment experiment = ExperimentFile.read(Path.of("my-experiment.yaml"));
 * } catch (ExperimentFileException e) {
 *     // my-experiment.yaml:12:5: objectives.fault.successAbove: expected a percentage such as 99.5%, found 0.995
 *     // (a fraction?). Write 99.5%.
 *     System.err.println(e.getMessage());
 * }
 * }</pre>
 */
public final class ExperimentFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String key;
    private final String problem;

    ExperimentFileException(String source, int line, int column, String key, String problem) {
        super(format(source, line, column, key, problem));
        this.source = Objects.requireNonNull(source, "source");
        this.line = Math.max(1, line);
        this.column = Math.max(1, column);
        this.key = key == null ? "" : key;
        this.problem = problem;
    }

    private static String format(String source, int line, int column, String key, String problem) {
        return source + ":" + Math.max(1, line) + ":" + Math.max(1, column) + ": "
                + (key == null || key.isEmpty() ? "" : key + ": ") + problem;
    }

    /** The file as it was named, for example {@code my-experiment.yaml}. */
    public String source() {
        return source;
    }

    /** The line of the offending text, from 1. */
    public int line() {
        return line;
    }

    /** The column of the offending text, from 1. */
    public int column() {
        return column;
    }

    /** The key, dotted from the top of the file, for example {@code objectives.fault.successAbove}; empty for the file. */
    public String key() {
        return key;
    }

    /** The message without its location: what was expected, what was found and what to do. */
    public String problem() {
        return problem;
    }
}
