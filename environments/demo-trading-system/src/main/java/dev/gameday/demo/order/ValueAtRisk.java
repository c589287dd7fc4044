package dev.gameday.demo.order;

import dev.gameday.demo.config.RiskConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The {@code expensive-request-path} flaw: a one-day 99 % value-at-risk of an order's notional, estimated by Monte
 * Carlo simulation (by default {@value #PATHS} paths of {@value #STEPS} intraday steps) every time it is asked for.
 * It is the kind of model that belongs in a nightly batch; the flaw runs it inside the request, costing several milliseconds
 * of CPU per order, so that a CPU limit which the healthy service shrugs off makes orders queue (incident 10).
 *
 * <pre>{@code
 * double loss = ValueAtRisk.oneDay99(97_500, "BTC-USD");   // about 12 % of the notional
 * }</pre>
 */
public final class ValueAtRisk {

    /** Simulated one-day paths per estimate, unless told otherwise ({@code VALUE_AT_RISK_PATHS}). */
    static final int PATHS = RiskConfig.DEFAULT_VALUE_AT_RISK_PATHS;
    /** Steps per path (a trading day in hourly steps, crypto trades around the clock). */
    static final int STEPS = 24;
    /** Daily volatility assumed for every instrument: crypto-like. */
    static final double DAILY_VOLATILITY = 0.05;
    private static final double CONFIDENCE = 0.99;

    private ValueAtRisk() {
    }

    /**
     * The loss, in the notional's currency, that one day exceeds with 1 % probability. Deterministic for a given
     * notional and symbol, so repeated orders cost the same work.
     */
    public static double oneDay99(double notional, String symbol) {
        return oneDay99(notional, symbol, PATHS);
    }

    /** The same estimate from {@code paths} simulated paths: the CPU it costs is proportional to {@code paths}. */
    public static double oneDay99(double notional, String symbol, int paths) {
        if (paths < 1) {
            throw new IllegalArgumentException("paths must be at least 1, but was " + paths);
        }
        SplittableRandom random = new SplittableRandom(symbol.hashCode() * 31L + Double.doubleToLongBits(notional));
        double stepVolatility = DAILY_VOLATILITY / Math.sqrt(STEPS);
        double drift = -0.5 * stepVolatility * stepVolatility;
        double[] losses = new double[paths];
        for (int path = 0; path < paths; path++) {
            double logReturn = 0;
            for (int step = 0; step < STEPS; step++) {
                logReturn += drift + stepVolatility * random.nextGaussian();
            }
            losses[path] = notional * (1 - Math.exp(logReturn));
        }
        Arrays.sort(losses);
        return Math.max(0, losses[(int) Math.ceil(CONFIDENCE * paths) - 1]);
    }
}
