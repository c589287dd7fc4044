package dev.gameday.assertions;

import java.math.BigDecimal;

/** Numbers as people write them in code, for messages about units: {@code 99.5}, not {@code 99.50000000000001}. */
final class Units {

    private Units() {
    }

    /** The shortest plain decimal, rounded to 10 significant digits: {@code 0.995 * 100} prints as {@code 99.5}. */
    static String plain(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new java.math.MathContext(10)).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }
}
