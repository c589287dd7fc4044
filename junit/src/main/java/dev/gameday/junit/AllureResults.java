package dev.gameday.junit;

import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.scenarios.Experiment;
import dev.gameday.scenarios.ExperimentResult;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Stage;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import io.qameta.allure.model.TestResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * One Allure result per run, for the test that ran it: named with the test's display name, passed when the test's
 * expectation held, failed on an unexpected FAILED, broken on INVALID or an exception; one step per objective, and
 * the run's report files attached. Written with Allure's own {@link FileSystemResultsWriter} into the directory
 * Allure's JUnit integration uses, so {@code allure generate target/allure-results} shows them with the other tests.
 * Writing them never decides the test: a failure to write is printed and the test goes on.
 */
final class AllureResults {

    private AllureResults() {
    }

    static void write(Path directory, ExtensionContext context, ExperimentResult result,
                      Optional<AssertionFailedError> failure, long start, long stop) {
        try {
            FileSystemResultsWriter writer = writer(directory);
            TestResult test = test(context, result.report().experiment(), start, stop)
                    .setStatus(failure.isEmpty() ? Status.PASSED
                            : result.verdict() == dev.gameday.assertions.Verdict.INVALID ? Status.BROKEN : Status.FAILED)
                    .setDescription(result.report().description() + "\n\n" + result.evaluation().headline());
            test.getParameters().add(new Parameter().setName("environment").setValue(result.report().environment()));
            test.getParameters().add(new Parameter().setName("verdict").setValue(result.verdict().name()));
            failure.ifPresent(f -> test.setStatusDetails(new StatusDetails().setMessage(f.getMessage())));
            for (ObjectiveResult objective : result.evaluation().results()) {
                test.getSteps().add(new StepResult()
                        .setName(objective.message())
                        .setStatus(switch (objective.status()) {
                            case MET -> Status.PASSED;
                            case VIOLATED -> Status.FAILED;
                            case UNRESOLVED -> Status.BROKEN;
                        })
                        .setStage(Stage.FINISHED).setStart(start).setStop(stop));
            }
            for (Path file : result.files()) {
                if (Files.isRegularFile(file)) {
                    test.getAttachments().add(attach(writer, file));
                }
            }
            writer.write(test);
        } catch (RuntimeException | IOException e) {
            System.err.printf("gameday: could not write the Allure result of '%s' into %s: %s%n",
                    context.getDisplayName(), directory.toAbsolutePath(), e);
        }
    }

    static void writeBroken(Path directory, ExtensionContext context, Experiment experiment, Throwable error,
                            long start, long stop) {
        try {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            writer(directory).write(test(context, experiment.name(), start, stop)
                    .setStatus(Status.BROKEN)
                    .setDescription(experiment.description())
                    .setStatusDetails(new StatusDetails().setMessage(String.valueOf(error.getMessage()))
                            .setTrace(trace.toString())));
        } catch (RuntimeException | IOException e) {
            System.err.printf("gameday: could not write the Allure result of '%s' into %s: %s%n",
                    context.getDisplayName(), directory.toAbsolutePath(), e);
        }
    }

    private static FileSystemResultsWriter writer(Path directory) throws IOException {
        Files.createDirectories(directory);
        return new FileSystemResultsWriter(directory);
    }

    private static TestResult test(ExtensionContext context, String experiment, long start, long stop) {
        String testClass = context.getRequiredTestClass().getName();
        String method = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
        String fullName = testClass + "." + method;
        List<Label> labels = new ArrayList<>(List.of(
                label("suite", context.getParent().map(ExtensionContext::getDisplayName).orElse(testClass)),
                label("testClass", testClass),
                label("testMethod", method),
                label("package", context.getRequiredTestClass().getPackageName()),
                label("framework", "junit-platform"),
                label("language", "java"),
                label("tag", "gameday")));
        List<Parameter> parameters = new ArrayList<>(List.of(new Parameter().setName("experiment").setValue(experiment)));
        return new TestResult()
                .setUuid(UUID.randomUUID().toString())
                .setHistoryId(md5(fullName + "#" + experiment))
                .setTestCaseId(md5(fullName))
                .setFullName(fullName)
                .setName(context.getDisplayName())
                .setStage(Stage.FINISHED)
                .setStart(start)
                .setStop(stop)
                .setLabels(labels)
                .setParameters(parameters)
                .setSteps(new ArrayList<>())
                .setAttachments(new ArrayList<>());
    }

    private static Attachment attach(FileSystemResultsWriter writer, Path file) throws IOException {
        String name = file.getFileName().toString();
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "txt";
        String source = UUID.randomUUID() + "-attachment." + extension;
        try (InputStream in = Files.newInputStream(file)) {
            writer.write(source, in);
        }
        return new Attachment().setName(name).setType(type(extension)).setSource(source);
    }

    private static String type(String extension) {
        return switch (extension) {
            case "json" -> "application/json";
            case "xml" -> "application/xml";
            case "txt" -> "text/plain";
            default -> "application/octet-stream";
        };
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
