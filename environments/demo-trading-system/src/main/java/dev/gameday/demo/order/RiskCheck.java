package dev.gameday.demo.order;

import dev.gameday.demo.config.RiskConfig;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;

/**
 * The pre-trade risk check every order passes before it is stored.
 *
 * <p>Example: {@code new RiskCheck(config.risk()).approve(request)} returns the approved order or throws a
 * {@link RiskRejectedException} naming the field at fault.
 */
public final class RiskCheck {

    /** The instruments the exchange lists. */
    public static final Set<String> KNOWN_SYMBOLS = Set.of(
            "BTC-USD", "ETH-USD", "SOL-USD", "XRP-USD", "ADA-USD", "DOGE-USD",
            "LTC-USD", "DOT-USD", "AVAX-USD", "LINK-USD", "BTC-EUR", "ETH-EUR");

    private final BigDecimal maxNotional;
    private final int valueAtRiskPaths;
    private final boolean simulateValueAtRisk;

    public RiskCheck(RiskConfig config) {
        this(config, false);
    }

    /**
     * A risk check that also, when {@code simulateValueAtRisk} (the {@code expensive-request-path} flaw), recomputes
     * the order's value-at-risk by Monte Carlo simulation on every order.
     */
    public RiskCheck(RiskConfig config, boolean simulateValueAtRisk) {
        this.maxNotional = Objects.requireNonNull(config, "config").maxNotional();
        this.valueAtRiskPaths = config.valueAtRiskPaths();
        this.simulateValueAtRisk = simulateValueAtRisk;
    }

    /** An order request that passed the risk check, with its side resolved. */
    public record Approved(OrderRequest request, Side side) {
    }

    /**
     * Approves {@code request} or says which rule it breaks.
     *
     * @throws RiskRejectedException naming the field and the rule
     */
    public Approved approve(OrderRequest request) {
        if (!KNOWN_SYMBOLS.contains(request.symbol())) {
            throw new RiskRejectedException("symbol", "symbol '" + request.symbol()
                    + "' is not traded here. Use one of: " + String.join(", ", KNOWN_SYMBOLS.stream().sorted().toList()) + ".");
        }
        Side side = side(request.side());
        if (request.quantity().signum() <= 0) {
            throw new RiskRejectedException("quantity", "quantity must be greater than 0, but was "
                    + request.quantity().toPlainString() + ". Send a positive quantity.");
        }
        if (request.price().signum() <= 0) {
            throw new RiskRejectedException("price", "price must be greater than 0, but was "
                    + request.price().toPlainString() + ". Send a positive limit price.");
        }
        BigDecimal notional = request.quantity().multiply(request.price());
        if (notional.compareTo(maxNotional) > 0) {
            throw new RiskRejectedException("quantity", "notional (quantity × price) must be at most "
                    + maxNotional.toPlainString() + ", but was " + notional.toPlainString()
                    + ". Reduce the quantity or split the order.");
        }
        if (simulateValueAtRisk) {
            // The flaw: a model that belongs in a nightly batch, run per order. It never rejects an order the
            // notional limit accepted (the loss is a fraction of the notional); it only costs CPU.
            double valueAtRisk = ValueAtRisk.oneDay99(notional.doubleValue(), request.symbol(), valueAtRiskPaths);
            if (valueAtRisk > maxNotional.doubleValue()) {
                throw new RiskRejectedException("quantity", "one-day 99 % value-at-risk must be at most "
                        + maxNotional.toPlainString() + ", but was " + Math.round(valueAtRisk)
                        + ". Reduce the quantity or split the order.");
            }
        }
        return new Approved(request, side);
    }

    private static Side side(String side) {
        return switch (side) {
            case "BUY" -> Side.BUY;
            case "SELL" -> Side.SELL;
            default -> throw new RiskRejectedException("side", "side must be BUY or SELL, but was '" + side + "'.");
        };
    }
}
