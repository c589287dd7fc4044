package dev.gameday.demo.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations written the way operators write them: {@code 50ms}, {@code 2s}, {@code 1m}, {@code 1h}.
 *
 * <p>Example: {@code Durations.parse("250ms")} is {@code Duration.ofMillis(250)}.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private Durations() {
    }

    /**
     * The duration {@code text} denotes.
     *
     * @throws IllegalArgumentException naming what was expected and what was found
     */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a whole number with a unit (ms, s, m or h) such as 50ms, 2s or 1m, but was '"
                    + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalStateException("unit matched by the pattern but not handled: " + matcher.group(2));
        };
    }

    /** {@code duration} in the same notation, with the largest unit that keeps it whole: {@code 1500ms}, {@code 2s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0 && millis > 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
