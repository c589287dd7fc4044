package dev.gameday.reports;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gameday.assertions.DurabilityEvidence;
import dev.gameday.timeline.TimelineEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class JUnitXmlReportTest {

    @TempDir
    Path dir;

    @Test
    void writesOneTestcasePerObjectivePlusTheRunsValidity() throws Exception {
        Element suite = write(Runs.failed());

        assertThat(suite.getAttribute("name")).isEqualTo("gameday.redis-timeouts");
        List<Element> cases = children(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("classname") + " / " + c.getAttribute("name")).containsExactly(
                "gameday.redis-timeouts.baseline / p95 latency < 100 ms",
                "gameday.redis-timeouts.baseline / success rate > 99.50 %",
                "gameday.redis-timeouts.fault / p95 latency < 500 ms",
                "gameday.redis-timeouts.fault / success rate > 99.50 %",
                "gameday.redis-timeouts.recovery / time to recover < 15 s",
                "gameday.redis-timeouts.after / p95 latency < 100 ms",
                "gameday.redis-timeouts.after / success rate > 99.50 %",
                "gameday.redis-timeouts.whole run / every acknowledged write is durable",
                "gameday.redis-timeouts / run validity");
        assertThat(suite.getAttribute("tests")).isEqualTo("9");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
    }

    @Test
    void marksViolatedObjectivesAsFailuresInJUnitXml() throws Exception {
        List<Element> cases = children(write(Runs.failed()), "testcase");

        Element failure = single(cases.get(2), "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("ObjectiveViolated");
        assertThat(failure.getAttribute("message")).isEqualTo("Objective 'p95 latency < 500 ms' violated in phase"
                + " 'fault': expected < 500 ms, actual 5,001 ms (max 5,001 ms over 3,150 requests)");
        assertThat(failure.getTextContent()).as("details for the person reading the CI failure").contains(
                "expected: < 500 ms\n",
                "actual:   5,001 ms\n",
                "phase 'fault' (20-41 s): 3,150 requests, 150.0 requests/s, success 60.00 %, 210 with an error status,"
                        + " 1,050 without a response");
        assertThat(single(cases.get(3), "failure").getAttribute("message")).startsWith(
                "Objective 'success rate > 99.50 %' violated in phase 'fault': expected > 99.50 %, actual 60.00 %");
        assertThat(cases.get(0).getChildNodes().getLength()).as("a met objective is a passing test case").isZero();
    }

    @Test
    void namesTheFailuresOfThePhaseAndATargetDeathInTheFailure() throws Exception {
        Element suite = write(Runs.failedWhileTargetDied());
        List<Element> cases = children(suite, "testcase");

        assertThat(single(cases.get(3), "failure").getAttribute("message")).isEqualTo("Objective 'success rate > 99.50 %'"
                + " violated in phase 'fault': expected > 99.50 %, actual 60.00 % (1,260 of 3,150 requests failed: 210"
                + " with an error status, 1,050 without a response; failures: timeout ×1,050, 503 ×200, 400 ×10)");
        assertThat(single(cases.get(2), "failure").getTextContent()).as("the latency failure names them too").contains(
                "max 5,001 ms; failures: timeout ×1,050, 503 ×200, 400 ×10\n",
                "target 'redis' died at +30.3 s in the fault phase (exit code 137, OOM-killed)\n");
        assertThat(children(single(suite, "properties"), "property")).anySatisfy(property -> {
            assertThat(property.getAttribute("name")).isEqualTo("gameday.verdictReason");
            assertThat(property.getAttribute("value")).isEqualTo("2 of 8 objectives violated; target 'redis' died at"
                    + " +30.3 s in the fault phase (exit code 137, OOM-killed)");
        });
    }

    @Test
    void timesTestCasesByTheirPhaseAndTheSuiteByTheRun() throws Exception {
        Element suite = write(Runs.failed());
        List<Element> cases = children(suite, "testcase");

        assertThat(suite.getAttribute("time")).isEqualTo("60.000");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-22T10:03:30");
        assertThat(cases).extracting(c -> c.getAttribute("time"))
                .as("baseline 5-20 s, fault 20-41 s, recovery 41-56 s, after 56-60 s, whole run 60 s")
                .containsExactly("15.000", "15.000", "21.000", "21.000", "15.000", "4.000", "4.000", "60.000", "60.000");
    }

    @Test
    void neverShowsAnInvalidRunAsGreen() throws Exception {
        Element suite = write(Runs.invalid());
        List<Element> cases = children(suite, "testcase");

        assertThat(suite.getAttribute("errors")).as("6 unresolved objectives and the run's validity").isEqualTo("7");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        Element validity = single(cases.get(cases.size() - 1), "error");
        assertThat(cases.get(cases.size() - 1).getAttribute("name")).isEqualTo("run validity");
        assertThat(validity.getAttribute("type")).isEqualTo("RunInvalid");
        assertThat(validity.getAttribute("message")).startsWith("Run is invalid: Fault 'redis-timeout' was injected but"
                + " its effect was never confirmed");
        assertThat(validity.getTextContent()).contains(
                "its verdict is INVALID, never a pass",
                "- Objective 'every acknowledged write is durable' unresolved in the whole run: no durability check ran;"
                        + " give the experiment a durability check or drop the objective\n");
    }

    @Test
    void marksUnresolvedObjectivesAsErrors() throws Exception {
        List<Element> cases = children(write(Runs.invalid()), "testcase");

        Element error = single(cases.get(2), "error");
        assertThat(error.getAttribute("type")).isEqualTo("ObjectiveUnresolved");
        assertThat(error.getAttribute("message")).isEqualTo("Objective 'p95 latency < 500 ms' unresolved in phase"
                + " 'fault': the fault phase did not happen in this run: no fault was confirmed active");
        assertThat(cases.get(2).getAttribute("time")).as("the phase did not happen").isEqualTo("0.000");
    }

    @Test
    void passesEveryTestCaseOfAPassedRun() throws Exception {
        Element suite = write(Runs.passed());

        assertThat(suite.getAttribute("tests")).isEqualTo("9");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(children(suite, "testcase")).allSatisfy(c -> assertThat(c.getChildNodes().getLength()).isZero());
    }

    @Test
    void recordsParametersAsPropertiesAndTheConsoleReportAsSystemOut() throws Exception {
        Element suite = write(Runs.failed());

        Map<String, String> properties = new LinkedHashMap<>();
        for (Element property : children(single(suite, "properties"), "property")) {
            properties.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        assertThat(properties).containsEntry("rate", "150 requests/s (100 place order, 50 get quote)")
                .containsEntry("fault", "redis-timeout: Redis stops answering, from 20 s to 40 s")
                .containsEntry("gameday.environment", "demo-trading-system (flaws: no-redis-timeout)")
                .containsEntry("gameday.verdict", "FAILED");
        assertThat(single(suite, "system-out").getTextContent())
                .isEqualTo(ConsoleReport.unicode().render(Runs.failed()));
    }

    @Test
    void escapesMarkupAndDropsCharactersXmlCannotCarry() throws Exception {
        String nasty = "a<b & \"c\" 'd' ]]> \u001b[31mred\u001b[0m \u0000";
        var timeline = RunFixture.offering(150, 60, Runs.ORDERS, Runs.QUOTES)
                .healthy(Runs.ORDERS, 0, 60, 100).healthy(Runs.QUOTES, 0, 60, 50)
                .fault(Runs.FAULT, ofMillis(20_400), ofMillis(40_300))
                .event(ofMillis(50_000), TimelineEvent.Kind.NOTE, "operator", nasty)
                .timeline();
        RunReport run = new RunReport("orders <&> \"quoted\"", nasty, nasty, Map.of("fault", nasty), timeline,
                Runs.report(timeline, Optional.of(new DurabilityEvidence("orders", 1, 0, List.of()))).evaluation());

        Path file = new JUnitXmlReport().write(run, dir);
        Element suite = parse(file);

        String legal = "a<b & \"c\" 'd' ]]> \uFFFD[31mred\uFFFD[0m \uFFFD";
        assertThat(file).hasFileName("TEST-gameday-orders______quoted_.xml");
        assertThat(suite.getAttribute("name")).isEqualTo("gameday.orders <&> \"quoted\"");
        assertThat(children(single(suite, "properties"), "property"))
                .filteredOn(p -> p.getAttribute("name").equals("fault"))
                .singleElement().extracting(p -> p.getAttribute("value"))
                .as("markup survives, control characters become U+FFFD").isEqualTo(legal);
        assertThat(single(suite, "system-out").getTextContent()).contains("+50 s  operator: " + legal);
    }

    @Test
    void namesTheFileAfterTheExperiment() {
        assertThat(JUnitXmlReport.fileName(Runs.failed())).isEqualTo("TEST-gameday-redis-timeouts.xml");
    }

    private Element write(RunReport run) throws Exception {
        return parse(new JUnitXmlReport().write(run, dir));
    }

    private static Element parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(file.toFile());
        Element suite = document.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        return suite;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> children = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && element.getTagName().equals(tag)) {
                children.add(element);
            }
        }
        return children;
    }

    private static Element single(Element parent, String tag) {
        List<Element> children = children(parent, tag);
        assertThat(children).as("<%s> in <%s>", tag, parent.getTagName()).hasSize(1);
        return children.get(0);
    }
}
