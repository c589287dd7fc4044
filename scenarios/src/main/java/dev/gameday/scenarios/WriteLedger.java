package dev.gameday.scenarios;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every write the system under test acknowledged during a run, for the durability check at the end, and a ring of
 * recent ones that read traffic can pick from.
 *
 * <pre>{@code
 * ledger.acknowledge("/orders/7f0c...");
 * Optional<String> someRecent = ledger.recent();
 * }</pre>
 */
public final class WriteLedger {

    private static final int RECENT = 4_096;

    private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    private final AtomicReferenceArray<String> recent = new AtomicReferenceArray<>(RECENT);
    private final AtomicLong count = new AtomicLong();

    /** Records a write the system under test acknowledged, by the identifier it returned. */
    public void acknowledge(String id) {
        acknowledged.add(id);
        long n = count.getAndIncrement();
        recent.set((int) (n % RECENT), id);
    }

    /** A random one of the most recently acknowledged writes, if there is any yet. */
    public Optional<String> recent() {
        long n = Math.min(count.get(), RECENT);
        if (n == 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(recent.get(ThreadLocalRandom.current().nextInt((int) n)));
    }

    public long size() {
        return count.get();
    }

    /** A copy of every acknowledged identifier, in order. */
    public List<String> all() {
        return List.copyOf(acknowledged);
    }
}
