package dev.gameday.scenarios.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written the way people type them on a command line: {@code 500ms}, {@code 20s}, {@code 2m}. */
final class DurationOption {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private DurationOption() {
    }

    static Duration parse(String option, String value) {
        Matcher matcher = FORMAT.matcher(value == null ? "" : value.trim());
        if (!matcher.matches()) {
            throw new UsageException(option + ": expected a duration like 500ms, 20s, 2m or 1h, but found '" + value + "'.");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero()) {
            throw new UsageException(option + ": expected a duration greater than zero, but found '" + value + "'.");
        }
        return duration;
    }
}
