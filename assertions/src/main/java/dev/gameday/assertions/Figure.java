package dev.gameday.assertions;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A measured or expected quantity with its unit, printed the way people read it ({@code 134.2 ms},
 * {@code 99.87 %}, {@code 201.3 requests/s}).
 *
 * @param value    the number, in the unit
 * @param unit     what it counts
 * @param atLeast  true when the true value is only known to be greater (for example "not recovered after 45 s")
 */
public record Figure(double value, Unit unit, boolean atLeast) {

    /** Units of the figures objectives deal in. */
    public enum Unit {
        MILLISECONDS("ms"), SECONDS("s"), PERCENT("%"), PER_SECOND("requests/s"), COUNT(""),
        /** A reading of a server-side series, in the unit the system publishes it in. */
        VALUE(""),
        /** How fast a server-side series grows, in the unit the system publishes it in, per minute. */
        VALUE_PER_MINUTE("per minute");

        private final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Figure {
        Objects.requireNonNull(unit, "unit");
    }

    public static Figure of(double value, Unit unit) {
        return new Figure(value, unit, false);
    }

    public static Figure millis(Duration duration) {
        return of(duration.toNanos() / 1e6, Unit.MILLISECONDS);
    }

    public static Figure seconds(Duration duration) {
        return of(duration.toNanos() / 1e9, Unit.SECONDS);
    }

    public static Figure percent(double percent) {
        return of(percent, Unit.PERCENT);
    }

    public static Figure perSecond(double rate) {
        return of(rate, Unit.PER_SECOND);
    }

    public static Figure count(long count) {
        return of(count, Unit.COUNT);
    }

    /** A reading of a server-side series. */
    public static Figure value(double value) {
        return of(value, Unit.VALUE);
    }

    /** A growth of a server-side series, per minute. */
    public static Figure valuePerMinute(double value) {
        return of(value, Unit.VALUE_PER_MINUTE);
    }

    /** The same figure, marked as a lower bound. */
    public Figure orMore() {
        return new Figure(value, unit, true);
    }

    /** The number alone, formatted for the unit. */
    public String number() {
        return switch (unit) {
            case MILLISECONDS -> value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
            case SECONDS -> value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
            case PERCENT -> String.format(Locale.ROOT, "%.2f", value);
            case PER_SECOND -> String.format(Locale.ROOT, "%,.1f", value);
            case COUNT -> String.format(Locale.ROOT, "%,.0f", value);
            case VALUE, VALUE_PER_MINUTE -> !Double.isFinite(value) ? "none"
                    : value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%,.0f", value)
                    : significant(value);
        };
    }

    /** Four significant digits, grouped by thousands when it has no fraction left: {@code 30,000,000}, {@code 0.1235}. */
    private static String significant(double value) {
        java.math.BigDecimal rounded = new java.math.BigDecimal(value).round(new java.math.MathContext(4));
        return Math.abs(rounded.doubleValue()) >= 1000 && Math.abs(rounded.doubleValue()) < 1e15
                ? String.format(Locale.ROOT, "%,.0f", rounded.doubleValue())
                : rounded.stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        String text = unit.symbol().isEmpty() ? number() : number() + " " + unit.symbol();
        return atLeast ? "more than " + text : text;
    }
}
