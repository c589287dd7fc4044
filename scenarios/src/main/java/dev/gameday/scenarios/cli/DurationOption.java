package dev.gameday.scenarios.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration option of the command line, written the way people type it ({@code 500ms}, {@code 20s}, {@code 2m},
 * {@code 1h}), with the range it must fall in.
 *
 * <pre>{@code
 * Duration fault = new DurationOption("--fault", Duration.ofSeconds(2), Duration.ofHours(1)).parse("20s");
 * }</pre>
 *
 * @param name the option as typed, such as {@code --fault}
 * @param min  the shortest value accepted
 * @param max  the longest value accepted
 */
record DurationOption(String name, Duration min, Duration max) {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)");

    DurationOption {
        if (min.isNegative() || min.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + ": a range must run from 0 or more up to at least its minimum,"
                    + " but was " + min + " to " + max + ".");
        }
    }

    Duration parse(String value) {
        Matcher matcher = FORMAT.matcher(value == null ? "" : value.trim());
        if (!matcher.matches()) {
            throw new UsageException(name + ": expected a duration like 500ms, 20s, 2m or 1h, but found '" + value + "'.");
        }
        Duration duration;
        try {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            // more digits than a long holds, or more hours than a Duration holds: far out of range either way
            throw outOfRange(value);
        }
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            throw outOfRange(value);
        }
        return duration;
    }

    private UsageException outOfRange(String value) {
        return new UsageException(name + ": expected a duration from " + format(min) + " to " + format(max)
                + ", but found '" + value + "'.");
    }

    /** Writes a duration the way this option reads it: 0s, 500ms, 2s, 10m, 1h. */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.toMillis() % 3_600_000 == 0) {
            return duration.toHours() + "h";
        }
        if (duration.toMillis() % 60_000 == 0) {
            return duration.toMinutes() + "m";
        }
        if (duration.toMillis() % 1_000 == 0) {
            return duration.toSeconds() + "s";
        }
        return duration.toMillis() + "ms";
    }
}
