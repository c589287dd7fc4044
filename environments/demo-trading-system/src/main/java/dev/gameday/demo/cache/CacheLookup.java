package dev.gameday.demo.cache;

/**
 * What a cache lookup found: the cached order JSON, nothing, or no answer because the cache was bypassed.
 *
 * <p>The outcome is what the API reports in its {@code X-Cache} header.
 */
public final class CacheLookup {

    /** The {@code X-Cache} values. */
    public enum Outcome {
        HIT,
        MISS,
        BYPASS
    }

    static final CacheLookup MISS = new CacheLookup(Outcome.MISS, null);
    static final CacheLookup BYPASS = new CacheLookup(Outcome.BYPASS, null);

    private final Outcome outcome;
    private final byte[] json;

    private CacheLookup(Outcome outcome, byte[] json) {
        this.outcome = outcome;
        this.json = json;
    }

    static CacheLookup hit(byte[] json) {
        return new CacheLookup(Outcome.HIT, json);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The cached order JSON; only on a {@link Outcome#HIT}. */
    public byte[] json() {
        if (outcome != Outcome.HIT) {
            throw new IllegalStateException("Cache lookup was " + outcome + ", so it holds no order; check outcome() first.");
        }
        return json;
    }
}
