package dev.gameday.scenarios.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped JSON Schema accepts every example file, and the schema and the parser refuse the same mistakes. */
class ExperimentFileSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static JsonNode schemaNode;
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = ExperimentFile.class.getResourceAsStream(ExperimentFile.SCHEMA_RESOURCE)) {
            assertThat(in).as("the schema on the class path").isNotNull();
            schemaNode = new ObjectMapper().readTree(in);
        }
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
    }

    @Test
    void isDraft2020WithDescriptionsAndNoAdditionalPropertiesEverywhere() {
        assertThat(schemaNode.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        List<String> problems = new ArrayList<>();
        check(schemaNode, "#", problems);
        assertThat(problems).isEmpty();
    }

    private static void check(JsonNode node, String where, List<String> problems) {
        if (!node.isObject()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), where + "/" + i, problems);
                }
            }
            return;
        }
        if (node.has("properties")) {
            if (!node.has("additionalProperties") || !node.get("additionalProperties").isBoolean()
                    || node.get("additionalProperties").asBoolean()) {
                problems.add(where + ": additionalProperties must be false");
            }
            for (Map.Entry<String, JsonNode> property : node.get("properties").properties()) {
                if (!property.getValue().has("description")) {
                    problems.add(where + "/properties/" + property.getKey() + ": no description");
                }
            }
        }
        for (Map.Entry<String, JsonNode> child : node.properties()) {
            if (child.getKey().equals("if") || child.getKey().equals("not")) {
                continue; // conditions on data described elsewhere, not descriptions of data
            }
            check(child.getValue(), where + "/" + child.getKey(), problems);
        }
    }

    @Test
    void acceptsEveryExampleFile() throws IOException {
        List<Path> files = ExperimentFileFuzzTest.exampleFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            List<Error> errors = schema.validate(YAML.readTree(Files.readString(file)));
            assertThat(errors).as("schema errors in %s", file).isEmpty();
            ExperimentFile.parse(Files.readString(file), file.toString(), file.getParent(), new RecordingEnvironments());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            a fraction for a percentage    | "successAbove: 99.5%"   | "successAbove: 0.995"
            a duration without a unit      | "baseline: 20s"         | "baseline: 20"
            an unknown key                 | "  rate: 200"           | "  rate: 200\\n  burst: 10"
            a misspelt criterion           | "p95Below: 500ms"       | "p95below: 500ms"
            a missing required key         | "  observe: 30s\\n"     | ""
            an unknown fault type          | "type: timeout"         | "type: hang"
            latency without its amount     | "type: timeout"         | "type: latency"
            latency on a timeout           | "type: timeout"         | "type: timeout\\n  latency: 1s"
            a lower-case method            | "method: POST"          | "method: post"
            no accepted status             | "accept: [201]"         | "accept: []"
            a rate above the maximum       | "rate: 200"             | "rate: 30000"
            a share above 1                | "share: 0.5"            | "share: 1.5"
            an upper-case name             | "name: checkout"        | "name: Checkout"
            two environments               | "  demo:\\n"            | "  compose: {files: [x.yml], entryPoint: {service: a, port: 1}}\\n  demo:\\n"
            an unknown flaw                | "flaws: []"             | "flaws: [slow-disk]"
            a path without a slash         | "path: /orders"         | "path: orders"
            a seed of no requests          | "count: 20"             | "count: 0"
            """)
    void schemaAndParserRefuseTheSameMistakes(String mistake, String from, String to) {
        String yaml = ExperimentFileTest.VALID.replaceFirst(java.util.regex.Pattern.quote(from.translateEscapes()),
                java.util.regex.Matcher.quoteReplacement(to.translateEscapes()));
        assertThat(yaml).as(mistake).isNotEqualTo(ExperimentFileTest.VALID);

        assertThatThrownBy(() -> ExperimentFile.parse(yaml, "my.yaml", Path.of("."), new RecordingEnvironments()))
                .as("the parser refuses %s", mistake).isInstanceOf(ExperimentFileException.class);
        List<Error> errors;
        try {
            errors = schema.validate(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(errors).as("the schema refuses %s", mistake).isNotEmpty();
    }

    @Test
    void theValidBaseIsValidForBoth() throws IOException {
        assertThat(schema.validate(YAML.readTree(ExperimentFileTest.VALID))).isEmpty();
        ExperimentFile.parse(ExperimentFileTest.VALID, "my.yaml", Path.of("."), new RecordingEnvironments());
    }
}
