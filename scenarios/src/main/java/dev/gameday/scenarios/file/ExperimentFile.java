package dev.gameday.scenarios.file;

import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.file.Yaml.Mark1;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An experiment described in a YAML file instead of Java: the file becomes the same {@link Experiment} the Java DSL
 * builds, and nothing else. Everything that can be checked without starting anything is checked while reading;
 * a mistake is an {@link ExperimentFileException} that names the file, line and column. Reading starts nothing:
 * the environment starts only when the experiment is run.
 *
 * <pre>{@code
 * # my-experiment.yaml
 * name: redis-timeouts
 * description: Redis stops answering for 20 s under steady order traffic, then heals
 * environment:
 *   demo: {flaws: []}
 * traffic:
 *   requests:
 *     - {name: health, share: 1, method: GET, path: /health, accept: [200]}
 * load: {rate: 200, warmup: 30s}
 * fault: {type: timeout, target: redis}
 * schedule: {baseline: 20s, fault: 20s, observe: 30s}
 * objectives:
 *   baseline: {p95Below: 100ms, successAbove: 99.5%}
 * }</pre>
 *
 * <pre>{@code
 * Experiment experiment = ExperimentFile.read(Path.of("my-experiment.yaml"));
 * ExperimentResult result = ExperimentRunner.create().run(experiment);
 * }</pre>
 *
 * The format is documented key by key in {@code docs/experiment-file.md}; editors can complete and check it with
 * the JSON Schema at {@link #SCHEMA_RESOURCE}.
 */
public final class ExperimentFile {

    /** The JSON Schema of the format, on the class path. */
    public static final String SCHEMA_RESOURCE = "/dev/gameday/scenarios/file/gameday-experiment.schema.json";

    private ExperimentFile() {
    }

    /**
     * Reads the experiment in {@code file}; relative paths in it (Compose files) are relative to its directory.
     *
     * @throws ExperimentFileException when the file cannot be read or does not describe a valid experiment
     */
    public static Experiment read(Path file) {
        return read(file, Environments.DEFAULT);
    }

    static Experiment read(Path file, Environments environments) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ExperimentFileException(source, 1, 1, "", "no such file. Check the path; it is relative to the"
                    + " current directory, " + Path.of("").toAbsolutePath() + ".");
        } catch (IOException | RuntimeException e) {
            throw new ExperimentFileException(source, 1, 1, "", "cannot read the file: " + e + ".");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ExperimentFileException(source, 1, 1, "", "the file is not UTF-8 text. Save it as UTF-8.");
        }
        Path directory = file.toAbsolutePath().getParent();
        return parse(text, source, directory == null ? Path.of("").toAbsolutePath() : directory, environments);
    }

    /**
     * Reads an experiment from YAML text.
     *
     * @param yaml          the file's content
     * @param sourceName    how errors name the file, for example {@code my-experiment.yaml}
     * @param baseDirectory what relative paths in it are relative to
     * @throws ExperimentFileException when it does not describe a valid experiment
     */
    public static Experiment parse(String yaml, String sourceName, Path baseDirectory) {
        return parse(yaml, sourceName, baseDirectory, Environments.DEFAULT);
    }

    static Experiment parse(String yaml, String sourceName, Path baseDirectory, Environments environments) {
        Objects.requireNonNull(yaml, "yaml");
        Problems problems = new Problems(sourceName == null ? "<experiment>" : sourceName);
        Path base = baseDirectory == null ? Path.of("").toAbsolutePath() : baseDirectory;
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        try {
            return new ExperimentParser(problems, base, environments).experiment(Yaml.read(text, problems));
        } catch (ExperimentFileException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // a gap in the checks above: still a located, readable error rather than a stack trace
            throw problems.at(new Mark1(1, 1), "", "the file could not be turned into an experiment ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). This is a bug in Gameday's"
                    + " checks; please report it with the file.");
        }
    }
}
