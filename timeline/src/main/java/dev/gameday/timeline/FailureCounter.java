package dev.gameday.timeline;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The failures of one series in one second, counted as they are recorded: fixed-size tables that never grow, so a
 * second costs the same few hundred bytes however many requests fail in it, and recording is a few atomic operations
 * (no allocation). A second keeps {@value #STATUSES} distinct error statuses and {@value #CLASSES} exception classes of
 * {@link TransportError#OTHER} errors; more than that are counted, but without their status or class.
 */
final class FailureCounter {

    static final int STATUSES = 8;
    static final int CLASSES = 4;
    private static final int FREE = 0;

    private final AtomicIntegerArray statusKeys = new AtomicIntegerArray(STATUSES);
    private final AtomicLongArray statusCounts = new AtomicLongArray(STATUSES);
    private final AtomicLongArray errorCounts = new AtomicLongArray(TransportError.values().length);
    private final AtomicReferenceArray<String> classKeys = new AtomicReferenceArray<>(CLASSES);
    private final AtomicLongArray classCounts = new AtomicLongArray(CLASSES);

    void status(int status) {
        if (status == FREE) {
            return; // not a status; the outcome count has it
        }
        for (int i = 0; i < STATUSES; i++) {
            int key = statusKeys.get(i);
            if (key == FREE && statusKeys.compareAndSet(i, FREE, status)) {
                key = status;
            } else if (key == FREE) {
                key = statusKeys.get(i);
            }
            if (key == status) {
                statusCounts.incrementAndGet(i);
                return;
            }
        }
        // more distinct statuses in one second than kept: counted by the outcome, listed as "error status"
    }

    void error(TransportError kind, String className) {
        errorCounts.incrementAndGet(kind.ordinal());
        if (kind != TransportError.OTHER) {
            return;
        }
        String name = className == null ? "" : className;
        for (int i = 0; i < CLASSES; i++) {
            String key = classKeys.get(i);
            if (key == null && classKeys.compareAndSet(i, null, name)) {
                key = name;
            } else if (key == null) {
                key = classKeys.get(i);
            }
            if (name.equals(key)) {
                classCounts.incrementAndGet(i);
                return;
            }
        }
    }

    FailureBreakdown snapshot() {
        Map<Integer, Long> statuses = new HashMap<>();
        for (int i = 0; i < STATUSES; i++) {
            int key = statusKeys.get(i);
            if (key != FREE) {
                statuses.merge(key, statusCounts.get(i), Long::sum);
            }
        }
        Map<TransportError, Long> errors = new HashMap<>();
        for (TransportError kind : TransportError.values()) {
            errors.put(kind, errorCounts.get(kind.ordinal()));
        }
        Map<String, Long> classes = new HashMap<>();
        for (int i = 0; i < CLASSES; i++) {
            String key = classKeys.get(i);
            if (key != null) {
                classes.merge(key, classCounts.get(i), Long::sum);
            }
        }
        return new FailureBreakdown(statuses, errors, classes);
    }
}
