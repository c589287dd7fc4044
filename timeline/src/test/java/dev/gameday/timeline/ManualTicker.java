package dev.gameday.timeline;

import java.time.Duration;

/** A ticker moved by hand, so tests never wait in real time. */
final class ManualTicker implements Ticker {

    private long nanos = 1_000_000_000_000L; // an arbitrary non-zero origin, as System.nanoTime() has

    @Override
    public long read() {
        return nanos;
    }

    long advance(Duration by) {
        nanos += by.toNanos();
        return nanos;
    }

    long at(Duration sinceStartOfTest) {
        return 1_000_000_000_000L + sinceStartOfTest.toNanos();
    }
}
