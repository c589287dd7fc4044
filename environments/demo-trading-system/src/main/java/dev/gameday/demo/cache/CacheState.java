package dev.gameday.demo.cache;

/** Redis as readiness reports it. */
public enum CacheState {
    /** Answers a PING. */
    UP,
    /** Failed a PING; requests bypass it. */
    DOWN,
    /** Not asked at all: the {@code redis} breaker is open, so requests bypass it. */
    BYPASSED
}
