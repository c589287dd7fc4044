package dev.gameday.scenarios.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gameday.environments.Protocol;
import dev.gameday.scenarios.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every check of the file, each with the message a person reads, located at the offending key or value. */
class ExperimentFileTest {

    static final String VALID = """
            name: checkout
            description: Checkout under a Redis timeout
            environment:
              demo:
                flaws: []
            traffic:
              requests:
                - name: place order
                  share: 0.5
                  method: POST
                  path: /orders
                  headers:
                    Content-Type: application/json
                  body: '{"symbol":"BTC-USD","quantity":${random:1-100}}'
                  accept: [201]
                  writeId:
                    header: Location
                - name: read order
                  share: 0.5
                  method: GET
                  path: ${write}
                  accept: [200]
              seed:
                request: place order
                count: 20
            load:
              rate: 200
              warmup: 30s
              requestTimeout: 2s
            fault:
              type: timeout
              target: redis
            schedule:
              baseline: 20s
              fault: 20s
              observe: 30s
            objectives:
              baseline:
                p95Below: 100ms
                successAbove: 99.5%
              fault:
                p95Below: 500ms
                successAbove: 99.5%
              recovery:
                within: 15s
                p95Below: 100ms
                successAbove: 99.5%
              after:
                p95Below: 100ms
                successAbove: 99.5%
              acknowledgedWritesDurable: true
            durability:
              http:
                method: GET
                path: ${write}
                accept: [200]
            """;

    @TempDir
    Path directory;

    private final RecordingEnvironments environments = new RecordingEnvironments();

    @Test
    void parsesTheValidFileWithoutStartingAnything() {
        Experiment experiment = parse(VALID);

        assertThat(experiment.name()).isEqualTo("checkout");
        assertThat(experiment.load().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(experiment.objectives().objectives()).hasSize(8);
        assertThat(experiment.durability()).hasValueSatisfying(d -> assertThat(d.store())
                .isEqualTo("writes read back with GET ${write} through the entry point"));
        assertThat(environments.made).hasValue(1);
        assertThat(environments.started).hasValue(0);
    }

    @Test
    void saysAFractionIsNotAPercentage() {
        String yaml = VALID.replace("p95Below: 500ms\n    successAbove: 99.5%", "p95Below: 500ms\n    successAbove: 0.995");
        assertError(yaml, at(yaml, "0.995") + "objectives.fault.successAbove: expected a percentage such as 99.5%, found 0.995"
                        + " (a fraction?). Write 99.5%.");
    }

    @Test
    void saysABareNumberNeedsItsPercentSign() {
        String yaml = VALID.replaceFirst("successAbove: 99.5%", "successAbove: 99.5\n");
        assertError(yaml, at(yaml, "99.5\n") + "objectives.baseline.successAbove: expected a percentage such as 99.5%, found 99.5"
                        + " (a number without %). Write 99.5% if you mean percent.");
    }

    @Test
    void refusesAPercentageOf100() {
        String yaml = VALID.replaceFirst("successAbove: 99.5%", "successAbove: 100%");
        assertError(yaml, at(yaml, "100%") + "objectives.baseline.successAbove: expected a percentage below 100%");
    }

    @Test
    void namesTheAllowedKeysAndTheClosestOneForAnUnknownKey() {
        String yaml = VALID.replace("fault:\n  type", "fualt:\n  type");
        assertError(yaml, at(yaml, "fualt") + "fualt: unknown key 'fualt'; did you mean 'fault'? Allowed here: name, description,"
                        + " environment, traffic, load, fault, schedule, objectives, durability.");
        String typo = VALID.replace("    p95Below: 500ms", "    p95below: 500ms");
        assertError(typo, at(typo, "p95below") + "objectives.fault.p95below: unknown key 'p95below'; did you mean 'p95Below'?");
    }

    @Test
    void saysWhichRequiredKeyIsMissing() {
        assertError(VALID.replace("schedule:\n  baseline: 20s\n  fault: 20s\n  observe: 30s\n", ""),
                "my.yaml:1:1: missing the required key 'schedule'. Add for example schedule: {baseline: 20s, fault:"
                        + " 20s, observe: 30s}.");
        String noObserve = VALID.replace("  observe: 30s\n", "");
        assertError(noObserve, at(noObserve, "baseline: 20s") + "schedule: missing the required key 'observe'. Add for example observe: 30s.");
    }

    @Test
    void saysADurationNeedsItsUnit() {
        String yaml = VALID.replace("baseline: 20s", "baseline: 20\n");
        assertError(yaml, at(yaml, "baseline: ", "20\n") + "schedule.baseline: expected a duration such as 250ms, 20s, 2m or 1h, found 20 (a"
                        + " number without a unit). Write 20s for seconds or 20ms for milliseconds.");
    }

    @Test
    void translatesTheJavaApisRangeChecksIntoLocatedErrors() {
        String rate = VALID.replace("rate: 200", "rate: 30000");
        assertError(rate, at(rate, "30000") + "load.rate: expected requests per second above 0 and at most 20000, found 30000.");
        String fault = VALID.replace("  fault: 20s", "  fault: 1s");
        assertError(fault, at(fault, "1s") + "schedule.fault: Fault schedule: fault must be at least 2 s, but was PT1S");
        String baseline = VALID.replace("baseline: 20s", "baseline: 25h");
        assertError(baseline, at(baseline, "25h") + "schedule.baseline: Fault schedule: baseline must be at most 24 h, but was PT25H.");
        String timeout = VALID.replace("requestTimeout: 2s", "requestTimeout: 50ms");
        assertError(timeout, at(timeout, "50ms") + "load.requestTimeout: expected a request timeout from 100ms to 2m, found '50ms'.");
    }

    @Test
    void saysTheObservationIsTooShortForTheRecoveryBound() {
        String yaml = VALID.replace("observe: 30s", "observe: 20s");
        assertError(yaml, at(yaml, "observe: ", "20s") + "schedule.observe: Experiment 'checkout': it observes 20 s after the fault, but"
                        + " recovering within 15 s and holding for 5 s (plus 2 s for the revert's verification) needs"
                        + " at least 22 s. Lengthen schedule.observe or shorten the recovery bound.");
    }

    @Test
    void saysTheSharesMustAddUpToOne() {
        String yaml = VALID.replace("share: 0.5\n      method: GET", "share: 0.4\n      method: GET");
        assertError(yaml, at(yaml, "- name: place order") + "traffic.requests: the shares add up to 0.9, but they must add up to 1 (each is the"
                        + " request's part of the rate): [place order 0.5, read order 0.4].");
    }

    @Test
    void refusesTwoRequestsWithOneName() {
        String yaml = VALID.replace("name: read order", "name: place order");
        assertError(yaml, at(yaml, "share: 0.5\n      method: POST", "place order") + "traffic.requests[1].name: the name 'place order' is already used by"
                        + " traffic.requests[0]");
    }

    @Test
    void checksTheSeedRequest() {
        String unknown = VALID.replace("request: place order", "request: place orders");
        assertError(unknown, at(unknown, "place orders") + "traffic.seed.request: there is no request named 'place orders'; did you mean 'place"
                        + " order'? The requests are: place order, read order.");
        String read = VALID.replace("request: place order", "request: read order");
        assertError(read, at(read, "seed:", "read order") + "traffic.seed.request: the seed must be a write, but 'read order' has no writeId.");
    }

    @Test
    void refusesWriteWithoutARequestThatRecordsWrites() {
        String noWriteId = VALID.replace("      writeId:\n        header: Location\n", "")
                .replace("  seed:\n    request: place order\n    count: 20\n", "");
        assertError(noWriteId, at(noWriteId, "name: read order") + "traffic.requests[1]: 'read order' uses ${write}, but no request records"
                + " writes.");
    }

    @Test
    void refusesWriteWithoutASeed() {
        String yaml = VALID.replace("  seed:\n    request: place order\n    count: 20\n", "");
        assertError(yaml, at(yaml, "requests:") + "traffic: 'read order' reads ${write}, which needs a write acknowledged before the load"
                        + " starts. Add seed:");
    }

    @Test
    void refusesAnUnknownPlaceholder() {
        String range = VALID.replace("${random:1-100}", "${random:100-1}");
        assertError(range, at(range, "'{\"symbol") + "traffic.requests[0].body: ${random:100-1}: the range runs from 100 down to 1");
        String id = VALID.replace("path: /orders", "path: /orders/${id}");
        assertError(id, at(id, "/orders/${id}") + "traffic.requests[0].path: unknown placeholder ${id}; the placeholders are"
                        + " ${random:1-100}, ${uuid} or ${write}.");
    }

    @Test
    void checksTheFaultTargetAgainstTheEnvironment() {
        String reddis = VALID.replace("target: redis", "target: reddis");
        assertError(reddis, at(reddis, "reddis") + "fault.target: the environment has no target 'reddis'; did you"
                + " mean 'redis'? Its targets: api, redis, postgres, exchange.");
        String api = VALID.replace("target: redis", "target: api");
        assertError(api, at(api, "target: ", "api") + "fault.target: target 'api' is not reached through Toxiproxy, so a network fault"
                        + " cannot be injected on it (the demo system's entry point api is reached directly");
    }

    @Test
    void checksTheFaultType() {
        String typo = VALID.replace("type: timeout", "type: timeuot");
        assertError(typo, at(typo, "timeuot") + "fault.type: expected one of timeout, latency, partition, proxy-down, found 'timeuot'; did you mean"
                        + " 'timeout'?");
        String latency = VALID.replace("type: timeout", "type: latency");
        assertError(latency, at(latency, "type: latency") + "fault: missing the required key 'latency'. Add for example latency: 250ms.");
        String extra = VALID.replace("type: timeout", "type: timeout\n  latency: 250ms");
        assertError(extra, at(extra, "latency: 250ms") + "fault.latency: latency applies only to type: latency");
        assertThat(parse(VALID.replace("type: timeout", "type: latency\n  latency: 250ms")).faults().get(0))
                .hasToString("latency on redis (250 ms)");
        assertThat(parse(VALID.replace("type: timeout", "type: partition")).faults().get(0)).hasToString("partition on redis");
    }

    @Test
    void refusesAFlawItDoesNotKnow() {
        String flaw = VALID.replace("flaws: []", "flaws: [no-redis-timeouts]");
        assertError(flaw, at(flaw, "no-redis-timeouts") + "environment.demo.flaws[0]: unknown flaw 'no-redis-timeouts'; did you mean"
                        + " 'no-redis-timeout'? Known flaws: " + dev.gameday.demo.Flaw.knownIds() + ".");
    }

    @Test
    void refusesDurabilityThatIsNeverJudgedAndAnObjectiveNothingChecks() {
        String unjudged = VALID.replace("  acknowledgedWritesDurable: true\n", "");
        assertError(unjudged, at(unjudged, "durability:") + "durability: the durability check is never judged");
        String unchecked = VALID.substring(0, VALID.indexOf("durability:\n  http"));
        assertError(unchecked, at(unchecked, "acknowledgedWritesDurable") + "objectives.acknowledgedWritesDurable: nothing checks the acknowledged writes");
    }

    @Test
    void reportsYamlSyntaxErrorsWhereTheyAre() {
        String yaml = VALID.replace("  rate: 200", "  rate: 200\n warmup: [30s");
        ExperimentFileException e = parseError(yaml);
        assertThat(e.getMessage()).startsWith(at(yaml, "warmup: [30s") + "not valid YAML: while parsing a block"
                + " mapping, expected <block end>, but found '<block mapping start>'. Check the indentation");
        assertThat(e.line()).isEqualTo(28);
    }

    @Test
    void refusesAliasesEmptyFilesDuplicateKeysAndSecondDocuments() {
        String alias = VALID.replace("  rate: 200", "  rate: &r 200").replace("requestTimeout: 2s", "requestTimeout: *r");
        assertError(alias, at(alias, "*r") + "load.requestTimeout: found the alias '*r'; YAML anchors and aliases are not supported");
        assertError("", "my.yaml:1:1: the file is empty");
        assertError("# only a comment\n", "my.yaml:1:1: the file is empty");
        assertError(VALID + "name: again\n", at(VALID + "name: again\n", "name: again") + "name: the key 'name' appears twice (first on line 1).");
        assertError(VALID + "---\nname: second\n", at(VALID + "---\nname: second\n", "name: second") + "the file holds more than one YAML document");
        assertError("- just\n- a list\n", "my.yaml:1:1: expected a mapping of keys such as name: my-experiment, found"
                + " a list.");
    }

    @Test
    void refusesABillionLaughs() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        ExperimentFileException e = parseError(bomb.toString());
        assertThat(e.line()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void refusesHeadersTheLoadGeneratorSetsAndABodyOnAGet() {
        String host = VALID.replace("Content-Type: application/json", "Host: example");
        assertError(host, at(host, "Host") + "traffic.requests[0].headers.Host: the header Host is set by the load generator");
        String body = VALID.replace("      path: ${write}\n      accept: [200]\n  seed",
                "      path: ${write}\n      body: x\n      accept: [200]\n  seed");
        assertError(body, at(body, "body: ", "x\n") + "traffic.requests[1].body: a GET request has no body.");
    }

    @Test
    void saysTextMustBeQuotedToBeText() {
        assertError(VALID.replace("name: checkout", "name: 2024"), "my.yaml:1:7: name: expected text such as redis-timeouts, found the number 2024. Quote it to mean the"
                        + " text: '2024'.");
    }

    // --- compose ---------------------------------------------------------------------------------------------------

    private String compose(String targets) throws IOException {
        Files.writeString(directory.resolve("docker-compose.yml"), "services: {}\n");
        Files.writeString(directory.resolve("docker-compose.override.yml"), "services: {}\n");
        return VALID.replace("""
                  demo:
                    flaws: []
                """, """
                  compose:
                    files: [docker-compose.yml, docker-compose.override.yml]
                    name: quotes
                    entryPoint: {service: quotes, port: 8000}
                    readiness: /health
                    startupTimeout: 2m
                    targets:
                """ + targets);
    }

    @Test
    void readsTheComposeSectionInFull() throws IOException {
        List<ComposeSection> sections = new java.util.ArrayList<>();
        Environments capturing = new Environments() {
            @Override
            public dev.gameday.scenarios.EnvironmentSource demo(java.util.Set<dev.gameday.demo.Flaw> f) {
                throw new AssertionError();
            }

            @Override
            public dev.gameday.scenarios.EnvironmentSource compose(ComposeSection compose) {
                sections.add(compose);
                return environments.compose(compose);
            }
        };
        ExperimentFile.parse(compose("      redis: {port: 6379, protocol: redis, proxied: true}\n"
                + "      postgres: {port: 5432, protocol: postgres}\n"), "my.yaml", directory, capturing);

        assertThat(sections).singleElement().satisfies(section -> {
            assertThat(section.files()).containsExactly(directory.resolve("docker-compose.yml").toAbsolutePath(),
                    directory.resolve("docker-compose.override.yml").toAbsolutePath());
            assertThat(section.name()).hasValue("quotes");
            assertThat(section.entryService()).isEqualTo("quotes");
            assertThat(section.entryPort()).isEqualTo(8000);
            assertThat(section.readiness()).hasValue("/health");
            assertThat(section.startupTimeout()).hasValue(Duration.ofMinutes(2));
            assertThat(section.targets()).containsExactly(new TargetSpec("redis", Protocol.REDIS, 6379, true),
                    new TargetSpec("postgres", Protocol.POSTGRES, 5432, false));
            assertThat(section.allTargets().keySet()).containsExactly("quotes", "redis", "postgres");
        });
        assertThat(environments.started).hasValue(0);
    }

    @Test
    void checksComposeFilesTargetsAndFaults() throws IOException {
        String missing = compose("      redis: {port: 6379, protocol: redis, proxied: true}\n")
                .replace("docker-compose.override.yml", "missing.yml");
        assertError(missing, at(missing, "missing.yml") + "environment.compose.files[1]: the Compose file 'missing.yml' does not exist (looked for "
                        + directory.resolve("missing.yml").toAbsolutePath() + "). Paths are relative to the experiment"
                        + " file.");
        String direct = compose("      redis: {port: 6379, protocol: redis}\n");
        assertError(direct, at(direct, "target: ", "redis") + "fault.target: target 'redis' is not reached through Toxiproxy, so a network fault"
                        + " cannot be injected on it (declare the target under environment.compose.targets with"
                        + " proxied: true).");
        String tcp = compose("      redis: {port: 6379, protocol: tcp, proxied: true}\n");
        assertError(tcp, at(tcp, "type: ", "timeout") + "fault.type: a timeout on target 'redis' could never be verified: it speaks plain tcp");
        assertThat(parse(compose("      redis: {port: 6379, protocol: tcp, proxied: true}\n")
                .replace("type: timeout", "type: proxy-down")).faults().get(0)).hasToString("proxy-down on redis");
        String rediss = compose("      redis: {port: 6379, protocol: rediss, proxied: true}\n");
        assertError(rediss, at(rediss, "rediss") + "environment.compose.targets.redis.protocol: expected one of http, redis, postgres, tcp,"
                        + " found 'rediss'; did you mean 'redis'?");
        String port = compose("      redis: {port: 70000, protocol: redis, proxied: true}\n");
        assertError(port, at(port, "70000") + "environment.compose.targets.redis.port: expected a port from 1 to 65535, found 70000.");
        String twice = compose("      quotes: {port: 8000, protocol: http, proxied: true}\n");
        assertError(twice, at(twice, "quotes: {") + "environment.compose.targets.quotes: 'quotes' is already the entry point");
        String table = compose("      redis: {port: 6379, protocol: redis, proxied: true}\n")
                .replace("durability:\n  http:\n    method: GET\n    path: ${write}\n    accept: [200]\n",
                        "durability:\n  ordersTable: true\n");
        assertError(table, at(table, "ordersTable: ", "true") + "durability.ordersTable: the orders table is the demo system's database");
    }

    @Test
    void readsFilesFromDiskNamingThemInErrors() throws IOException {
        Path file = directory.resolve("broken.yaml");
        Files.writeString(file, VALID.replace("rate: 200", "rate: fast"));
        assertThatThrownBy(() -> ExperimentFile.read(file)).isInstanceOf(ExperimentFileException.class)
                .hasMessage(file + ":" + at(VALID, "rate: ", "200").substring("my.yaml:".length()) + "load.rate: expected requests per second, a number such as 200, found the"
                        + " text 'fast'.");
        assertThatThrownBy(() -> ExperimentFile.read(directory.resolve("none.yaml")))
                .isInstanceOf(ExperimentFileException.class).hasMessageStartingWith(directory.resolve("none.yaml")
                        + ":1:1: no such file.");
        Files.write(file, new byte[] {'n', 'a', (byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> ExperimentFile.read(file)).hasMessage(file + ":1:1: the file is not UTF-8 text."
                + " Save it as UTF-8.");
    }

    private Experiment parse(String yaml) {
        return ExperimentFile.parse(yaml, "my.yaml", directory, environments);
    }

    private ExperimentFileException parseError(String yaml) {
        try {
            parse(yaml);
        } catch (ExperimentFileException e) {
            assertThat(environments.started).hasValue(0);
            return e;
        }
        throw new AssertionError("expected an ExperimentFileException for:\n" + yaml);
    }

    private void assertError(String yaml, String expectedStart) {
        assertThat(parseError(yaml).getMessage()).startsWith(expectedStart);
    }

    /** "my.yaml:line:column: " of the first {@code snippet}. */
    static String at(String yaml, String snippet) {
        return at(yaml, "", snippet);
    }

    /** "my.yaml:line:column: " of the first {@code snippet} after {@code after}. */
    static String at(String yaml, String after, String snippet) {
        int index = yaml.indexOf(snippet, yaml.indexOf(after) + after.length());
        assertThat(index).as("'%s' in the file", snippet).isNotNegative();
        int line = 1 + (int) yaml.substring(0, index).chars().filter(c -> c == '\n').count();
        int column = index - yaml.lastIndexOf('\n', index - 1);
        return "my.yaml:" + line + ":" + column + ": ";
    }
}
