package dev.gameday.reports;

import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.PhaseSpan;
import io.qameta.allure.AllureResultsWriteException;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes the run as Allure results into {@code allure-results/}, the directory {@code allure generate} reads: one
 * test result per objective (met → passed, violated → failed, unresolved → broken) plus a result
 * {@code run validity}, broken with the reasons when the run is invalid. Every result carries the console report and
 * {@code summary.json} as attachments, and the run's parameters as its parameters.
 *
 * <p>Labels: suite = experiment, feature = environment, story and sub-suite = the objective's scope. Start and stop
 * are the wall-clock span of the phase the objective was assessed in (the whole run for objectives about the whole
 * run). History ids are stable across runs, so Allure shows each objective's history.
 *
 * <p>Only Allure's model classes and its {@link FileSystemResultsWriter} are used; nothing touches the network (no
 * host label, which would resolve the local host name). Results already in the directory are kept, as Allure's own
 * integrations do, so several experiments can share one {@code allure-results}; a run written again shows as a retry
 * of the earlier one. No {@code environment.properties} is written: it is one per Allure report, and would be wrong
 * as soon as two experiments share the directory.
 *
 * <pre>{@code
 * Path results = new AllureReport().write(run, Path.of("target"));   // target/allure-results
 * // then: allure generate target/allure-results
 * }</pre>
 */
public final class AllureReport implements Report {

    /** The directory {@link #write} creates inside the results directory. */
    public static final String DIRECTORY_NAME = "allure-results";

    /** The result that carries the run's validity. */
    public static final String RUN_VALIDITY = "run validity";

    @Override
    public Path write(RunReport run, Path directory) throws IOException {
        Path results = Output.directory(directory.resolve(DIRECTORY_NAME), "Allure results");
        try {
            write(run, new FileSystemResultsWriter(results));
        } catch (AllureResultsWriteException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("Allure results: could not write into " + results + " (" + Output.describe(e)
                    + (cause == e ? "" : ": " + Output.describe(cause)) + "). Check that the directory is writable"
                    + " and the disk has space, or choose another results directory.", e);
        }
        return results;
    }

    private static void write(RunReport run, FileSystemResultsWriter writer) {
        String console = ConsoleReport.unicode().render(run);
        String summary = new JsonSummaryReport().render(run);
        List<Attachment> attachments = List.of(
                attach(writer, "console report", "text/plain", "txt", console),
                attach(writer, JsonSummaryReport.FILE_NAME, "application/json", "json", summary));
        Evaluation evaluation = run.evaluation();
        for (ObjectiveResult result : evaluation.results()) {
            String scope = result.objective().scope();
            TestResult test = test(run, scope, result.objective().name(), attachments)
                    .setDescription(run.description() + "\n\n" + result.message())
                    .setStatus(status(result.status()))
                    .setStatusDetails(details(run, result));
            Optional<PhaseSpan> span = Rendering.span(result.objective(), evaluation);
            if (Rendering.phase(result.objective()).isEmpty()) {
                timed(test, run, Duration.ZERO, run.timeline().end());
            } else if (span.isPresent()) {
                timed(test, run, span.get().from(), span.get().to());
            } else {
                timed(test, run, Duration.ZERO, Duration.ZERO);
            }
            writer.write(test);
        }
        TestResult validity = test(run, "whole run", RUN_VALIDITY, attachments)
                .setDescription(run.description() + "\n\nVERDICT: " + evaluation.verdict() + " - "
                        + Rendering.verdictReason(run));
        if (Rendering.invalid(evaluation)) {
            List<String> reasons = evaluation.invalidity().isEmpty()
                    ? List.of("the evaluation gave no reason") : evaluation.invalidity();
            validity.setStatus(Status.BROKEN).setStatusDetails(new StatusDetails()
                    .setMessage(Rendering.validityMessage(evaluation, reasons))
                    .setTrace("- " + String.join("\n- ", reasons)));
        } else {
            validity.setStatus(Status.PASSED);
        }
        timed(validity, run, Duration.ZERO, run.timeline().end());
        writer.write(validity);
    }

    private static TestResult test(RunReport run, String scope, String name, List<Attachment> attachments) {
        String fullName = Rendering.suiteName(run) + "." + scope + "." + name;
        List<Label> labels = new ArrayList<>(List.of(
                label("parentSuite", "gameday"),
                label("suite", run.experiment()),
                label("subSuite", scope),
                label("feature", run.environment()),
                label("story", scope),
                label("framework", "gameday"),
                label("language", "java")));
        List<Parameter> parameters = new ArrayList<>();
        run.parameters().forEach((key, value) -> parameters.add(new Parameter().setName(key).setValue(value)));
        return new TestResult()
                .setUuid(UUID.randomUUID().toString())
                .setHistoryId(md5(fullName))
                .setTestCaseId(md5(fullName))
                .setFullName(fullName)
                .setName(name)
                .setStage(Stage.FINISHED)
                .setLabels(labels)
                .setParameters(parameters)
                .setAttachments(new ArrayList<>(attachments));
    }

    private static void timed(TestResult test, RunReport run, Duration from, Duration to) {
        long origin = run.timeline().startedAt().toEpochMilli();
        test.setStart(origin + from.toMillis()).setStop(origin + to.toMillis());
    }

    private static Status status(ObjectiveResult.Status status) {
        return switch (status) {
            case MET -> Status.PASSED;
            case VIOLATED -> Status.FAILED;
            case UNRESOLVED -> Status.BROKEN;
        };
    }

    private static StatusDetails details(RunReport run, ObjectiveResult result) {
        StatusDetails details = new StatusDetails().setMessage(result.message());
        if (result.status() == ObjectiveResult.Status.VIOLATED) {
            // what the phase's failures were, and any target that died: the first things to look at
            List<String> trace = new ArrayList<>();
            Rendering.phase(result.objective()).flatMap(run.evaluation()::phase)
                    .filter(phase -> phase.total().failures() > 0)
                    .ifPresent(phase -> trace.add("failures in phase '" + phase.phase().label() + "': "
                            + phase.total().describeFailures(", ")));
            trace.addAll(Rendering.targetDeaths(run));
            if (!trace.isEmpty()) {
                details.setTrace(String.join("\n", trace));
            }
        }
        if (result.status() != ObjectiveResult.Status.UNRESOLVED) {
            details.setExpected(result instanceof ObjectiveResult.Violated violated
                    ? violated.expected() : Rendering.expected(result.objective()));
            Rendering.actual(result).ifPresent(actual -> details.setActual(actual.toString()));
        }
        return details;
    }

    private static Attachment attach(FileSystemResultsWriter writer, String name, String type, String extension,
                                     String content) {
        String source = UUID.randomUUID() + "-attachment." + extension;
        writer.write(source, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
        return new Attachment().setName(name).setType(type).setSource(source);
    }

    private static Label label(String name, String value) {
        return new Label().setName(name).setValue(value);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM, though every Java runtime must provide it", e);
        }
    }
}
