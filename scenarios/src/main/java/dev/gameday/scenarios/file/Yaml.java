package dev.gameday.scenarios.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into a small tree that keeps where each key and value was written, so that every later error can say
 * {@code file:line:column}. Jackson's streaming parser is used, never its data binding: aliases ({@code *name}) are
 * refused instead of expanded, so a billion-laughs document costs nothing, and the file's size, nesting and
 * aliases are capped before SnakeYAML sees more than that.
 *
 * <pre>{@code
 * Yaml.Node root = Yaml.read("name: x\n", "x.yaml");
 * }</pre>
 */
final class Yaml {

    /** Larger than any experiment file by far; a larger input is a mistake (the wrong file), not an experiment. */
    static final int MAX_CHARS = 256 * 1024;
    static final int MAX_DEPTH = 20;

    private static final YAMLFactory FACTORY = factory();

    private Yaml() {
    }

    /** Where something was written, from 1. */
    record Mark1(int line, int column) {
        Mark1 {
            line = Math.max(1, line);
            column = Math.max(1, column);
        }

        static Mark1 of(JsonLocation location) {
            return location == null ? new Mark1(1, 1) : new Mark1(location.getLineNr(), location.getColumnNr());
        }
    }

    /** A value in the file, with its dotted key path and where it starts. */
    sealed interface Node permits MapNode, ListNode, Scalar {
        String path();

        Mark1 mark();
    }

    /** The kinds of scalar YAML's resolver tells apart. */
    enum Kind {
        TEXT, INTEGER, DECIMAL, BOOLEAN, NULL, OTHER
    }

    record Scalar(String path, Mark1 mark, Kind kind, String text) implements Node {
    }

    record ListNode(String path, Mark1 mark, List<Node> items) implements Node {
    }

    record Entry(String key, Mark1 keyMark, Node value) {
    }

    record MapNode(String path, Mark1 mark, Map<String, Entry> entries) implements Node {
    }

    /** The document in {@code text}, or a located {@link ExperimentFileException}. */
    static Node read(String text, Problems problems) {
        if (text.length() > MAX_CHARS) {
            throw problems.at(new Mark1(1, 1), "", "the file has " + text.length() + " characters, more than the "
                    + MAX_CHARS + " an experiment file may have. Is this the right file?");
        }
        Mark1 last = new Mark1(1, 1);
        try (YAMLParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw problems.at(last, "", "the file is empty; expected an experiment, starting with 'name:'."
                        + " docs/experiment-file.md shows one to copy.");
            }
            Reader reader = new Reader(parser, problems);
            Node root = reader.value("", 0);
            last = reader.last;
            JsonToken next = parser.nextToken();
            if (next != null) {
                throw problems.at(Mark1.of(parser.currentTokenLocation()), "", "the file holds more than one YAML"
                        + " document; expected one experiment per file. Remove the second '---' and what follows.");
            }
            return root;
        } catch (ExperimentFileException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw yamlError(e, problems);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw problems.at(last, "", "could not read the file as YAML: " + firstLine(String.valueOf(e.getMessage()))
                    + ". Check the indentation and quoting around this point.");
        }
    }

    private static ExperimentFileException yamlError(JsonProcessingException e, Problems problems) {
        Mark1 mark = Mark1.of(e.getLocation());
        String problem = e.getOriginalMessage();
        if (e.getCause() instanceof MarkedYAMLException marked) {
            Mark at = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
            if (at != null) {
                mark = new Mark1(at.getLine() + 1, at.getColumn() + 1);
            }
            problem = marked.getProblem() != null ? marked.getProblem() : problem;
            if (marked.getContext() != null) {
                problem = marked.getContext() + ", " + problem;
            }
        } else if (e.getCause() != null && e.getCause().getMessage() != null) {
            problem = e.getCause().getMessage();
        }
        return problems.at(mark, "", "not valid YAML: " + firstLine(String.valueOf(problem))
                + ". Check the indentation and quoting here (quote a value that contains ': ', '#', '{' or '[').");
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int newline = line.indexOf('\n');
        line = newline < 0 ? line : line.substring(0, newline).strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    private static YAMLFactory factory() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(MAX_DEPTH * 2);
        options.setCodePointLimit(MAX_CHARS * 2);
        options.setAllowDuplicateKeys(true); // reported by the reader with both lines
        return YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH * 2)
                        .maxStringLength(MAX_CHARS)
                        .maxNumberLength(100)
                        .maxNameLength(1_000)
                        .build())
                .build();
    }

    /** Walks the token stream once, building nodes. */
    private static final class Reader {
        private final YAMLParser parser;
        private final Problems problems;
        private Mark1 last = new Mark1(1, 1);

        Reader(YAMLParser parser, Problems problems) {
            this.parser = parser;
            this.problems = problems;
        }

        Node value(String path, int depth) throws IOException {
            Mark1 mark = Mark1.of(parser.currentTokenLocation());
            last = mark;
            if (depth > MAX_DEPTH) {
                throw problems.at(mark, path, "nested more than " + MAX_DEPTH + " levels deep; an experiment file"
                        + " needs at most 5. Check the indentation.");
            }
            if (parser.isCurrentAlias()) {
                throw problems.at(mark, path, "found the alias '*" + parser.getText() + "'; YAML anchors and aliases"
                        + " are not supported in experiment files. Write the value out in full.");
            }
            JsonToken token = parser.currentToken();
            return switch (token) {
                case START_OBJECT -> map(path, mark, depth);
                case START_ARRAY -> list(path, mark, depth);
                case VALUE_STRING -> new Scalar(path, mark, Kind.TEXT, parser.getText());
                case VALUE_NUMBER_INT -> new Scalar(path, mark, Kind.INTEGER, parser.getText());
                case VALUE_NUMBER_FLOAT -> new Scalar(path, mark, Kind.DECIMAL, parser.getText());
                case VALUE_TRUE, VALUE_FALSE -> new Scalar(path, mark, Kind.BOOLEAN, parser.getText());
                case VALUE_NULL -> new Scalar(path, mark, Kind.NULL, "");
                default -> new Scalar(path, mark, Kind.OTHER, String.valueOf(parser.getText()));
            };
        }

        private Node map(String path, Mark1 mark, int depth) throws IOException {
            Map<String, Entry> entries = new LinkedHashMap<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                if (token != JsonToken.FIELD_NAME) {
                    throw problems.at(Mark1.of(parser.currentTokenLocation()), path, "expected a key, found " + token
                            + ".");
                }
                String key = parser.currentName();
                Mark1 keyMark = Mark1.of(parser.currentTokenLocation());
                last = keyMark;
                String childPath = path.isEmpty() ? key : path + "." + key;
                if (entries.containsKey(key)) {
                    throw problems.at(keyMark, childPath, "the key '" + key + "' appears twice (first on line "
                            + entries.get(key).keyMark().line() + "). Keep one of them.");
                }
                parser.nextToken();
                entries.put(key, new Entry(key, keyMark, value(childPath, depth + 1)));
            }
            return new MapNode(path, mark, entries);
        }

        private Node list(String path, Mark1 mark, int depth) throws IOException {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(value(path + "[" + items.size() + "]", depth + 1));
            }
            return new ListNode(path, mark, items);
        }
    }
}
