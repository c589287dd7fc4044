package dev.gameday.scenarios.file;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Text with placeholders, rendered afresh for every request: {@code ${random:A-B}} a whole number from A to B,
 * {@code ${uuid}} a random UUID, {@code ${write}} the identifier of a recently acknowledged write.
 *
 * <pre>{@code
 * Template body = Template.parse("{\"quantity\":${random:1-100}}");
 * String rendered = body.render(() -> ledger.recent().orElseThrow());
 * }</pre>
 */
record Template(String source, List<Part> parts) {

    static final String EXAMPLES = "${random:1-100}, ${uuid} or ${write}";

    sealed interface Part permits Literal, RandomNumber, RandomUuid, Write {
    }

    record Literal(String text) implements Part {
    }

    record RandomNumber(long min, long max) implements Part {
    }

    record RandomUuid() implements Part {
    }

    record Write() implements Part {
    }

    Template {
        parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException saying which placeholder is wrong and what is allowed */
    static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int start = text.indexOf("${", at);
            if (start < 0) {
                parts.add(new Literal(text.substring(at)));
                break;
            }
            if (start > at) {
                parts.add(new Literal(text.substring(at, start)));
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("the placeholder starting '" + abbreviate(text.substring(start))
                        + "' has no closing '}'. Placeholders are " + EXAMPLES + ".");
            }
            parts.add(placeholder(text.substring(start + 2, end)));
            at = end + 1;
        }
        return new Template(text, parts);
    }

    private static Part placeholder(String name) {
        if (name.equals("uuid")) {
            return new RandomUuid();
        }
        if (name.equals("write")) {
            return new Write();
        }
        if (name.startsWith("random:")) {
            String range = name.substring("random:".length());
            int dash = range.indexOf('-');
            if (dash > 0 && range.substring(0, dash).matches("\\d{1,15}") && range.substring(dash + 1).matches("\\d{1,15}")) {
                long min = Long.parseLong(range.substring(0, dash));
                long max = Long.parseLong(range.substring(dash + 1));
                if (min <= max) {
                    return new RandomNumber(min, max);
                }
                throw new IllegalArgumentException("${" + name + "}: the range runs from " + min + " down to " + max
                        + "; write the smaller number first, ${random:" + max + "-" + min + "}.");
            }
            throw new IllegalArgumentException("${" + abbreviate(name) + "}: expected a range of whole numbers such as"
                    + " ${random:1-100}.");
        }
        throw new IllegalArgumentException("unknown placeholder ${" + abbreviate(name) + "}; the placeholders are "
                + EXAMPLES + ".");
    }

    private static String abbreviate(String text) {
        return text.length() > 30 ? text.substring(0, 30) + "..." : text;
    }

    boolean usesWrite() {
        return parts.stream().anyMatch(Write.class::isInstance);
    }

    boolean isConstant() {
        return parts.stream().allMatch(Literal.class::isInstance);
    }

    /** Renders the text; {@code write} is asked once per {@code ${write}}. */
    String render(Supplier<String> write) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal literal) {
                out.append(literal.text());
            } else if (part instanceof RandomNumber random) {
                out.append(random.min() == random.max() ? random.min()
                        : ThreadLocalRandom.current().nextLong(random.min(), random.max() + 1));
            } else if (part instanceof RandomUuid) {
                out.append(UUID.randomUUID());
            } else {
                out.append(write.get());
            }
        }
        return out.toString();
    }
}
