package dev.gameday.demo.order;

import java.math.BigDecimal;

/**
 * A well-formed order request, before the risk check.
 *
 * @param account the trading account
 * @param symbol the instrument, checked against the known symbols by the risk check
 * @param side BUY or SELL, checked by the risk check
 * @param quantity how much
 * @param price at what limit price
 */
public record OrderRequest(String account, String symbol, String side, BigDecimal quantity, BigDecimal price) {
}
