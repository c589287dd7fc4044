package dev.gameday.reports;

import dev.gameday.assertions.Evaluation;
import dev.gameday.assertions.Verdict;
import dev.gameday.assertions.Figure;
import dev.gameday.assertions.Figures;
import dev.gameday.assertions.ObjectiveResult;
import dev.gameday.assertions.PhaseSpan;
import dev.gameday.assertions.PhaseSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes the run as a JUnit XML test suite in the format Maven Surefire writes and CI systems (Jenkins, GitLab,
 * GitHub Actions, Azure Pipelines) read: {@code TEST-gameday-<experiment>.xml} with one test case per objective.
 *
 * <ul>
 *   <li>A met objective passes, a violated one is a {@code <failure type="ObjectiveViolated">}, an unresolved one an
 *       {@code <error type="ObjectiveUnresolved">}.</li>
 *   <li>Every suite also has a test case {@code run validity}: it passes on a valid run and is an
 *       {@code <error type="RunInvalid">} listing the reasons on an invalid one, so that an invalid run never shows
 *       green in CI and the set of test cases stays the same from run to run.</li>
 *   <li>Test case times are the lengths of the phases the objectives were assessed in; the suite's is the run's.
 *       The parameters are the suite's properties; the console report is its {@code <system-out>}.</li>
 * </ul>
 *
 * <pre>{@code
 * Path xml = new JUnitXmlReport().write(run, Path.of("target/surefire-reports"));
 * }</pre>
 */
public final class JUnitXmlReport implements Report {

    /** The test case that carries the run's validity. */
    public static final String RUN_VALIDITY = "run validity";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final String NEWLINE = "\n";

    /** {@code TEST-gameday-<experiment>.xml}, the experiment's name made safe for a file name. */
    public static String fileName(RunReport run) {
        return "TEST-gameday-" + Rendering.fileSafe(run.experiment()) + ".xml";
    }

    @Override
    public Path write(RunReport run, Path directory) throws IOException {
        String console = ConsoleReport.unicode().render(run);
        return Output.file(directory, fileName(run), "JUnit XML report", out -> write(run, console, out));
    }

    private static void write(RunReport run, String console, OutputStream out) throws IOException {
        try {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
            new Writer(xml).suite(run, console);
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("JUnit XML could not be written: " + Output.describe(e), e);
        }
    }

    /** One test case, whatever it came from. */
    private record Case(String className, String name, Duration time, Optional<Problem> problem) {
    }

    /** Why a test case did not pass: the element ({@code failure} or {@code error}) and what it says. */
    private record Problem(String element, String type, String message, String details) {
    }

    /** Wraps the stream writer: XML text is made legal, and the document indented for people reading it. */
    private record Writer(XMLStreamWriter xml) {

        void suite(RunReport run, String console) throws XMLStreamException {
            List<Case> cases = cases(run);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters(NEWLINE);
            xml.writeStartElement("testsuite");
            attribute("name", Rendering.suiteName(run));
            attribute("tests", Integer.toString(cases.size()));
            attribute("failures", Long.toString(count(cases, "failure")));
            attribute("errors", Long.toString(count(cases, "error")));
            attribute("skipped", "0");
            attribute("time", seconds(run.timeline().end()));
            attribute("timestamp", TIMESTAMP.format(LocalDateTime.ofInstant(
                    run.timeline().startedAt().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)));
            properties(run);
            for (Case testCase : cases) {
                testCase(testCase);
            }
            indent(1);
            xml.writeStartElement("system-out");
            text(console);
            xml.writeEndElement();
            xml.writeCharacters(NEWLINE);
            xml.writeEndElement();
            xml.writeCharacters(NEWLINE);
            xml.writeEndDocument();
        }

        private void properties(RunReport run) throws XMLStreamException {
            indent(1);
            xml.writeStartElement("properties");
            property("gameday.experiment", run.experiment());
            property("gameday.environment", run.environment());
            property("gameday.description", run.description());
            property("gameday.startedAt", Rendering.instant(run.timeline().startedAt()));
            property("gameday.verdict", run.evaluation().verdict().name());
            property("gameday.verdictReason", Rendering.verdictReason(run));
            for (Map.Entry<String, String> parameter : run.parameters().entrySet()) {
                property(parameter.getKey(), parameter.getValue());
            }
            indent(1);
            xml.writeEndElement();
        }

        private void property(String name, String value) throws XMLStreamException {
            indent(2);
            xml.writeEmptyElement("property");
            attribute("name", name);
            attribute("value", value);
        }

        private void testCase(Case testCase) throws XMLStreamException {
            indent(1);
            if (testCase.problem().isEmpty()) {
                xml.writeEmptyElement("testcase");
            } else {
                xml.writeStartElement("testcase");
            }
            attribute("name", testCase.name());
            attribute("classname", testCase.className());
            attribute("time", seconds(testCase.time()));
            if (testCase.problem().isPresent()) {
                Problem problem = testCase.problem().get();
                indent(2);
                xml.writeStartElement(problem.element());
                attribute("message", problem.message());
                attribute("type", problem.type());
                text(problem.details());
                xml.writeEndElement();
                indent(1);
                xml.writeEndElement();
            }
        }

        private void indent(int depth) throws XMLStreamException {
            xml.writeCharacters(NEWLINE + "  ".repeat(depth));
        }

        private void attribute(String name, String value) throws XMLStreamException {
            xml.writeAttribute(name, XmlText.legal(value));
        }

        private void text(String value) throws XMLStreamException {
            xml.writeCharacters(XmlText.legal(value));
        }

        private static long count(List<Case> cases, String element) {
            return cases.stream().filter(c -> c.problem().map(p -> p.element().equals(element)).orElse(false)).count();
        }
    }

    private static List<Case> cases(RunReport run) {
        Evaluation evaluation = run.evaluation();
        List<Case> cases = new ArrayList<>();
        for (ObjectiveResult result : evaluation.results()) {
            Optional<PhaseSpan> span = Rendering.span(result.objective(), evaluation);
            Duration time = Rendering.phase(result.objective()).isEmpty() ? run.timeline().end()
                    : span.map(PhaseSpan::length).orElse(Duration.ZERO);
            cases.add(new Case(Rendering.className(run, result.objective()), result.objective().name(), time,
                    problem(result, evaluation, Rendering.targetDeaths(run))));
        }
        Optional<Problem> invalid = Optional.empty();
        if (Rendering.invalid(evaluation)) {
            List<String> reasons = evaluation.invalidity().isEmpty()
                    ? List.of("the evaluation gave no reason") : evaluation.invalidity();
            StringBuilder details = new StringBuilder("The run cannot judge the system under test; its verdict is "
                    + evaluation.verdict() + ", never a pass. Reasons:\n");
            reasons.forEach(reason -> details.append("- ").append(reason).append('\n'));
            invalid = Optional.of(new Problem("error", "RunInvalid", evaluation.verdict() == Verdict.INVALID
                    ? "Run is invalid: " + String.join("; ", reasons) : Rendering.validityMessage(evaluation, reasons),
                    details.toString()));
        }
        cases.add(new Case(Rendering.suiteName(run), RUN_VALIDITY, run.timeline().end(), invalid));
        return cases;
    }

    private static Optional<Problem> problem(ObjectiveResult result, Evaluation evaluation, List<String> deaths) {
        if (result instanceof ObjectiveResult.Violated violated) {
            StringBuilder details = new StringBuilder(violated.message()).append('\n')
                    .append("expected: ").append(violated.expected()).append('\n')
                    .append("actual:   ").append(violated.actual()).append('\n');
            if (!violated.detail().isEmpty()) {
                details.append("detail:   ").append(violated.detail()).append('\n');
            }
            Rendering.phase(result.objective()).flatMap(evaluation::phase)
                    .ifPresent(phase -> details.append(figures(phase)).append('\n'));
            deaths.forEach(death -> details.append(death).append('\n'));
            return Optional.of(new Problem("failure", "ObjectiveViolated", violated.message(), details.toString()));
        }
        if (result instanceof ObjectiveResult.Unresolved unresolved) {
            return Optional.of(new Problem("error", "ObjectiveUnresolved", unresolved.message(),
                    unresolved.message() + "\nAn objective that cannot be decided makes the run invalid.\n"));
        }
        return Optional.empty();
    }

    /** The phase's figures in one line, for the person reading a failure in CI. */
    private static String figures(PhaseSummary phase) {
        Figures total = phase.total();
        return "phase '" + phase.phase().label() + "' (" + Rendering.window(phase.span()) + "): "
                + Figure.count(total.requests()) + " requests, " + Figure.perSecond(total.requestRate()) + ", success "
                + Rendering.percent(total.successPercent()) + ", " + Figure.count(total.errorStatus())
                + " with an error status, " + Figure.count(total.noResponse()) + " without a response, p50 "
                + Figure.millis(total.p50()) + ", p95 " + Figure.millis(total.p95()) + ", p99 " + Figure.millis(total.p99())
                + ", max " + Figure.millis(total.max())
                + (total.failures() == 0 ? "" : "; failures: " + total.describeFailures(", "));
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }
}
