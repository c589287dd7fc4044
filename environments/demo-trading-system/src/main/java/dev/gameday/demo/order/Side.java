package dev.gameday.demo.order;

/** Which way an order trades. */
public enum Side {
    BUY,
    SELL
}
