package dev.gameday.demo.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Limits the risk check applies to every order.
 *
 * @param maxNotional the largest quantity × price accepted for one order
 */
public record RiskConfig(BigDecimal maxNotional) {

    public static final BigDecimal DEFAULT_MAX_NOTIONAL = new BigDecimal("1000000");

    public RiskConfig {
        Objects.requireNonNull(maxNotional, "maxNotional");
    }
}
