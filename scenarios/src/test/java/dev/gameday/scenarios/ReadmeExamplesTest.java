package dev.gameday.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's examples true: every block marked {@code <!-- example: path -->} must be that file, word for
 * word. The files are built and run by the examples project in CI, so what the README shows is what runs.
 */
class ReadmeExamplesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyMarkedBlockIsTheFileItNames() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher matcher = EXAMPLE.matcher(readme);
        while (matcher.find()) {
            blocks.put(matcher.group(1), matcher.group(2));
        }

        assertThat(blocks.keySet()).as("the README's three forms of an experiment on your own system").contains(
                "examples/experiments/quotes-slow-redis.yaml",
                "examples/src/test/java/dev/gameday/examples/QuotesResilienceTest.java",
                "examples/src/test/java/dev/gameday/examples/QuotesExperiments.java");
        blocks.forEach((path, block) -> {
            String file;
            try {
                file = Files.readString(ROOT.resolve(path));
            } catch (IOException e) {
                throw new AssertionError("README.md shows " + path + ", which cannot be read: " + e, e);
            }
            assertThat(block).as("README.md's copy of %s (copy the file into the block again)", path)
                    .isEqualTo(file.endsWith("\n") ? file : file + "\n");
        });
    }
}
