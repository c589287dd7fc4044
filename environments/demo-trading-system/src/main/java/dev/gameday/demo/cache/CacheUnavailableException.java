package dev.gameday.demo.cache;

import java.util.UUID;

/**
 * The {@code cache-required} flaw's failure: an order was committed but could not be written to Redis, and the
 * flawed write path fails the request for it (the healthy service skips the cache write instead).
 *
 * <pre>{@code
 * cache.store(id, json).ifPresent(why -> {
 *     throw new CacheUnavailableException(id, "could not cache the order in Redis: " + why);
 * });
 * }</pre>
 */
public final class CacheUnavailableException extends RuntimeException {

    private final UUID orderId;

    public CacheUnavailableException(UUID orderId, String message) {
        super(message);
        this.orderId = orderId;
    }

    /** The order that was already committed when the cache write failed. */
    public UUID orderId() {
        return orderId;
    }
}
