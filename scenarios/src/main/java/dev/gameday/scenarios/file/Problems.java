package dev.gameday.scenarios.file;

import dev.gameday.scenarios.file.Yaml.Entry;
import dev.gameday.scenarios.file.Yaml.Kind;
import dev.gameday.scenarios.file.Yaml.ListNode;
import dev.gameday.scenarios.file.Yaml.MapNode;
import dev.gameday.scenarios.file.Yaml.Mark1;
import dev.gameday.scenarios.file.Yaml.Node;
import dev.gameday.scenarios.file.Yaml.Scalar;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of the tree of one file, failing with located errors that say what was expected, what was
 * found and what to write instead.
 *
 * <pre>{@code
 * Problems problems = new Problems("my.yaml");
 * Duration fault = problems.duration(schedule.get("fault"));
 * }</pre>
 */
final class Problems {

    static final Pattern DURATION = Pattern.compile("(\\d{1,18})(ms|s|m|h)");
    static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(\\.\\d{1,6})?)%");

    private final String source;

    Problems(String source) {
        this.source = source;
    }

    ExperimentFileException at(Mark1 mark, String path, String problem) {
        return new ExperimentFileException(source, mark.line(), mark.column(), path, problem);
    }

    ExperimentFileException at(Node node, String problem) {
        return at(node.mark(), node.path(), problem);
    }

    /** A mapping of keys, the only ones allowed being {@code allowed}. */
    Section section(Node node, String example, String... allowed) {
        if (!(node instanceof MapNode map)) {
            throw at(node, "expected a mapping of keys such as " + example + ", found " + describe(node) + ".");
        }
        List<String> keys = Arrays.asList(allowed);
        for (Entry entry : map.entries().values()) {
            if (!keys.contains(entry.key())) {
                String path = map.path().isEmpty() ? entry.key() : map.path() + "." + entry.key();
                throw at(entry.keyMark(), path, "unknown key '" + entry.key() + "'" + suggestion(entry.key(), keys)
                        + " Allowed here: " + String.join(", ", keys) + ".");
            }
        }
        return new Section(this, map);
    }

    ListNode list(Node node, String example) {
        if (!(node instanceof ListNode list)) {
            throw at(node, "expected a list such as " + example + ", found " + describe(node) + ".");
        }
        return list;
    }

    String text(Node node, String example) {
        if (node instanceof Scalar s && s.kind() == Kind.TEXT) {
            return s.text();
        }
        String quote = node instanceof Scalar s && s.kind() != Kind.NULL && s.kind() != Kind.OTHER
                ? " Quote it to mean the text: '" + s.text() + "'." : "";
        throw at(node, "expected text such as " + example + ", found " + describe(node) + "." + quote);
    }

    boolean bool(Node node) {
        if (node instanceof Scalar s && s.kind() == Kind.BOOLEAN) {
            return s.text().equalsIgnoreCase("true");
        }
        throw at(node, "expected true or false, found " + describe(node) + ".");
    }

    long integer(Node node, long min, long max, String what) {
        if (node instanceof Scalar s && s.kind() == Kind.INTEGER) {
            try {
                long value = Long.parseLong(s.text().replace("_", "").strip());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // far out of range: reported below
            }
            throw at(node, "expected " + what + " from " + min + " to " + max + ", found " + s.text() + ".");
        }
        throw at(node, "expected " + what + ", a whole number from " + min + " to " + max + ", found " + describe(node)
                + ".");
    }

    double number(Node node, String what) {
        if (node instanceof Scalar s && (s.kind() == Kind.INTEGER || s.kind() == Kind.DECIMAL)) {
            try {
                double value = new BigDecimal(s.text().replace("_", "").strip()).doubleValue();
                if (Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // .inf, .nan, 0x10: reported below
            }
        }
        throw at(node, "expected " + what + ", a number such as 200, found " + describe(node) + ".");
    }

    Duration duration(Node node) {
        if (node instanceof Scalar s && s.kind() == Kind.TEXT) {
            Matcher matcher = DURATION.matcher(s.text().strip());
            if (matcher.matches()) {
                try {
                    long amount = Long.parseLong(matcher.group(1));
                    return switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    };
                } catch (ArithmeticException e) {
                    throw at(node, "the duration " + s.text() + " is far too long. Write something like 20s.");
                }
            }
            throw at(node, "expected a duration such as 250ms, 20s, 2m or 1h (a whole number and a unit), found '"
                    + s.text() + "'.");
        }
        if (node instanceof Scalar s && (s.kind() == Kind.INTEGER || s.kind() == Kind.DECIMAL)) {
            throw at(node, "expected a duration such as 250ms, 20s, 2m or 1h, found " + s.text()
                    + " (a number without a unit). Write " + s.text() + "s for seconds or " + s.text()
                    + "ms for milliseconds.");
        }
        throw at(node, "expected a duration such as 250ms, 20s, 2m or 1h, found " + describe(node) + ".");
    }

    /** A percentage written with its sign, {@code 99.5%}: a bare number could be a fraction or a percent. */
    double percent(Node node) {
        if (node instanceof Scalar s && s.kind() == Kind.TEXT) {
            Matcher matcher = PERCENT.matcher(s.text().strip());
            if (matcher.matches()) {
                return Double.parseDouble(matcher.group(1));
            }
            throw at(node, "expected a percentage such as 99.5%, found '" + s.text() + "'.");
        }
        if (node instanceof Scalar s && (s.kind() == Kind.INTEGER || s.kind() == Kind.DECIMAL)) {
            BigDecimal value;
            try {
                value = new BigDecimal(s.text().replace("_", "").strip());
            } catch (NumberFormatException e) {
                throw at(node, "expected a percentage such as 99.5%, found " + s.text() + ".");
            }
            if (value.signum() >= 0 && value.compareTo(BigDecimal.ONE) <= 0 && s.kind() == Kind.DECIMAL) {
                String percent = value.movePointRight(2).stripTrailingZeros().toPlainString();
                throw at(node, "expected a percentage such as 99.5%, found " + s.text() + " (a fraction?). Write "
                        + percent + "%.");
            }
            throw at(node, "expected a percentage such as 99.5%, found " + s.text() + " (a number without %). Write "
                    + value.stripTrailingZeros().toPlainString() + "% if you mean percent.");
        }
        throw at(node, "expected a percentage such as 99.5%, found " + describe(node) + ".");
    }

    static String describe(Node node) {
        if (node instanceof MapNode) {
            return "a mapping of keys";
        }
        if (node instanceof ListNode) {
            return "a list";
        }
        Scalar s = (Scalar) node;
        String text = s.text().length() > 40 ? s.text().substring(0, 40) + "..." : s.text();
        return switch (s.kind()) {
            case TEXT -> text.isEmpty() ? "empty text" : "the text '" + text + "'";
            case INTEGER, DECIMAL -> "the number " + text;
            case BOOLEAN -> text.toLowerCase(Locale.ROOT) + " (a yes/no value)";
            case NULL -> "nothing";
            case OTHER -> "a value of another type";
        };
    }

    /** " Did you mean 'x'?" for the closest allowed key, if one is close; otherwise ".". */
    static String suggestion(String found, List<String> allowed) {
        Optional<String> closest = allowed.stream()
                .min(Comparator.comparingInt(k -> distance(k.toLowerCase(Locale.ROOT), found.toLowerCase(Locale.ROOT))));
        if (closest.isPresent()) {
            int distance = distance(closest.get().toLowerCase(Locale.ROOT), found.toLowerCase(Locale.ROOT));
            if (distance <= Math.max(2, closest.get().length() / 3)) {
                return "; did you mean '" + closest.get() + "'?";
            }
        }
        return ".";
    }

    private static int distance(String a, String b) {
        if (a.length() > 100 || b.length() > 100) {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The keys of one mapping, already checked against the allowed ones. */
    record Section(Problems problems, MapNode map) {

        boolean has(String key) {
            return map.entries().containsKey(key);
        }

        Optional<Node> optional(String key) {
            return Optional.ofNullable(map.entries().get(key)).map(Entry::value);
        }

        Node require(String key, String example) {
            Entry entry = map.entries().get(key);
            if (entry == null) {
                throw problems.at(map.mark(), map.path(), "missing the required key '" + key + "'. Add for example "
                        + key + ": " + example + ".");
            }
            return entry.value();
        }

        Mark1 keyMark(String key) {
            Entry entry = map.entries().get(key);
            return entry == null ? map.mark() : entry.keyMark();
        }

        String child(String key) {
            return map.path().isEmpty() ? key : map.path() + "." + key;
        }
    }
}
