package dev.gameday.demo.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Limits the risk check applies to every order.
 *
 * <pre>{@code
 * RiskConfig limits = new RiskConfig(new BigDecimal("1000000"));
 * }</pre>
 *
 * @param maxNotional the largest quantity × price accepted for one order
 * @param valueAtRiskPaths the Monte Carlo paths the {@code expensive-request-path} flaw simulates per order (its CPU
 *     cost is proportional); unused without the flaw
 */
public record RiskConfig(BigDecimal maxNotional, int valueAtRiskPaths) {

    public static final BigDecimal DEFAULT_MAX_NOTIONAL = new BigDecimal("1000000");
    /** About 8 ms of the service container's CPU per order on the project's build machines (cpu-starvation). */
    public static final int DEFAULT_VALUE_AT_RISK_PATHS = 22_500;
    public static final int MIN_VALUE_AT_RISK_PATHS = 100;
    public static final int MAX_VALUE_AT_RISK_PATHS = 1_000_000;

    public RiskConfig {
        Objects.requireNonNull(maxNotional, "maxNotional");
    }

    /** Limits with the default number of value-at-risk paths. */
    public RiskConfig(BigDecimal maxNotional) {
        this(maxNotional, DEFAULT_VALUE_AT_RISK_PATHS);
    }
}
