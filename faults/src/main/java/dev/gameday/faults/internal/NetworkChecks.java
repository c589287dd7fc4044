package dev.gameday.faults.internal;

import dev.gameday.faults.Disruption.Observation;
import dev.gameday.faults.Probe;
import dev.gameday.faults.internal.Conversation.Ending;
import dev.gameday.faults.internal.Conversation.Exchange;
import java.time.Duration;
import java.util.Optional;

/**
 * How each Toxiproxy fault is observed through its proxy, and what an observation means: the evidence a
 * {@link ToxiproxyDisruption} gives {@link dev.gameday.faults.Fault} to verify an injection and its revert. Each check
 * says IN_EFFECT only on what the toxic causes, NOT_IN_EFFECT only on a healthy answer, and INCONCLUSIVE on anything
 * else, so that neither the effect nor the revert is ever taken from a coincidence.
 *
 * <pre>{@code
 * NetworkChecks.Check check = NetworkChecks.silence(Probes.forProtocol(Protocol.REDIS, link.proxied()));
 * Observation seen = check.observe();
 * }</pre>
 */
public final class NetworkChecks {

    /** How long a probe waits for an answer before the dependency counts as not answering. */
    public static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /** An added delay shorter than this cannot be told from a busy machine's noise in one probe. */
    public static final Duration MEASURABLE = Duration.ofMillis(100);
    /** How long a bandwidth or slicer probe's answer should take under the fault: its size is chosen for it. */
    static final Duration SLOWED_ANSWER = Duration.ofMillis(500);

    private NetworkChecks() {
    }

    /** One observation of an injection through the proxy. */
    public interface Check {
        Observation observe();

        /** The longest one {@link #observe()} takes. */
        Duration observationTime();

        /** The bytes one observation sends into the proxy, left out of the traffic meter's count. */
        long requestBytes();
    }

    /** Silence shows the effect, an answer its absence: a timeout, a partition, a disabled proxy. */
    public static Check silence(Probe probe) {
        return new Check() {
            @Override
            public Observation observe() {
                Optional<Duration> roundTrip = probe.roundTrip(PROBE_TIMEOUT);
                return roundTrip.isEmpty()
                        ? Observation.inEffect(probe.describe() + " through the proxy got no answer within "
                        + PROBE_TIMEOUT.toMillis() + " ms")
                        : Observation.notInEffect(answered(probe, roundTrip.get()));
            }

            @Override
            public Duration observationTime() {
                return PROBE_TIMEOUT;
            }

            @Override
            public long requestBytes() {
                return probe.requestBytes();
            }
        };
    }

    /**
     * An answer slowed by at least half the smallest added delay shows the effect, a faster one its absence; silence
     * shows neither.
     */
    public static Check slowed(Probe probe, Duration smallestDelay, Duration largestDelay) {
        Duration timeout = largestDelay.plus(PROBE_TIMEOUT);
        return new Check() {
            @Override
            public Observation observe() {
                Optional<Duration> roundTrip = probe.roundTrip(timeout);
                if (roundTrip.isEmpty()) {
                    return Observation.inconclusive(probe.describe() + " through the proxy got no answer within "
                            + timeout.toMillis() + " ms, which shows neither added latency nor its absence");
                }
                String evidence = answered(probe, roundTrip.get());
                return roundTrip.get().compareTo(smallestDelay.dividedBy(2)) >= 0
                        ? Observation.inEffect(evidence) : Observation.notInEffect(evidence);
            }

            @Override
            public Duration observationTime() {
                return timeout;
            }

            @Override
            public long requestBytes() {
                return probe.requestBytes();
            }
        };
    }

    /**
     * A connection reset or closed before any answer shows the effect (Docker's port forwarding may turn the proxy's
     * reset into a plain close), a complete answer its absence; silence shows neither.
     */
    public static Check endedWithoutAnswer(Conversation conversation) {
        return exchangeCheck(conversation, PROBE_TIMEOUT, seen -> switch (seen.ending()) {
            case RESET, CLOSED -> seen.bytes() == 0 ? Verdict.IN_EFFECT : Verdict.INCONCLUSIVE;
            case ANSWERED -> Verdict.NOT_IN_EFFECT;
            default -> Verdict.INCONCLUSIVE;
        });
    }

    /**
     * An answer that arrives no faster than twice the rate shows the limit, a faster one its absence. When the answer
     * is too small to take {@link #MEASURABLE} at the rate, it shows neither.
     */
    public static Check atMostRate(Conversation conversation, long bytesPerSecond) {
        Duration timeout = PROBE_TIMEOUT.plus(SLOWED_ANSWER.multipliedBy(3));
        return exchangeCheck(conversation, timeout, seen -> {
            if (seen.bytes() == 0 || seen.ending() == Ending.UNEXPECTED || seen.ending() == Ending.REFUSED) {
                return Verdict.INCONCLUSIVE;
            }
            Duration atRate = Duration.ofNanos((long) (seen.bytes() * 1e9 / bytesPerSecond));
            if (seen.ending() == Ending.ANSWERED) {
                if (atRate.compareTo(MEASURABLE) < 0) {
                    return Verdict.INCONCLUSIVE;
                }
                return seen.elapsed().compareTo(atRate.dividedBy(2)) >= 0 ? Verdict.IN_EFFECT : Verdict.NOT_IN_EFFECT;
            }
            // still arriving when the probe gave up: slow, if what did arrive took at least half its time at the rate
            return seen.ending() == Ending.SILENT && seen.elapsed().compareTo(atRate.dividedBy(2)) >= 0
                    ? Verdict.IN_EFFECT : Verdict.INCONCLUSIVE;
        });
    }

    /**
     * An answer that takes at least half of its slices' delays shows the slicer, a faster one its absence; an answer
     * too small to be sliced into {@link #MEASURABLE} of delays shows neither.
     */
    public static Check sliced(Conversation conversation, int averageSliceBytes, Duration delay) {
        Duration timeout = PROBE_TIMEOUT.plus(SLOWED_ANSWER.multipliedBy(3));
        return exchangeCheck(conversation, timeout, seen -> {
            if (seen.bytes() == 0 || seen.ending() == Ending.UNEXPECTED || seen.ending() == Ending.REFUSED) {
                return Verdict.INCONCLUSIVE;
            }
            Duration delays = delay.multipliedBy(Math.max(1, seen.bytes() / averageSliceBytes));
            if (seen.ending() == Ending.ANSWERED) {
                if (delays.compareTo(MEASURABLE) < 0) {
                    return Verdict.INCONCLUSIVE;
                }
                return seen.elapsed().compareTo(delays.dividedBy(2)) >= 0 ? Verdict.IN_EFFECT : Verdict.NOT_IN_EFFECT;
            }
            return seen.ending() == Ending.SILENT && seen.elapsed().compareTo(delays.dividedBy(2)) >= 0
                    ? Verdict.IN_EFFECT : Verdict.INCONCLUSIVE;
        });
    }

    /**
     * An answer longer than the limit that ends (closed or reset) after at most {@code limitBytes} shows the limit; a
     * complete answer longer than the limit shows its absence; anything else (a complete answer within the limit,
     * silence) shows neither.
     */
    public static Check cutAfter(Conversation conversation, long limitBytes) {
        return exchangeCheck(conversation, PROBE_TIMEOUT.multipliedBy(4), seen -> switch (seen.ending()) {
            case CLOSED, RESET -> seen.bytes() <= limitBytes
                    && (seen.fullLength() < 0 || seen.fullLength() > limitBytes)
                    ? Verdict.IN_EFFECT : Verdict.INCONCLUSIVE;
            case ANSWERED -> seen.bytes() > limitBytes ? Verdict.NOT_IN_EFFECT : Verdict.INCONCLUSIVE;
            default -> Verdict.INCONCLUSIVE;
        });
    }

    /**
     * An answer after whose last byte the connection stays open at least half the delay shows a slow close; a close
     * sooner its absence. The probe waits at most half the delay after an answer that came within
     * {@link #PROBE_TIMEOUT}, plus a margin, rather than the whole delay.
     */
    public static Check closedNoSoonerThan(Conversation conversation, Duration delay) {
        Duration half = delay.dividedBy(2);
        return exchangeCheck(conversation, PROBE_TIMEOUT.plus(half).plus(MEASURABLE), seen -> {
            if (seen.ending() != Ending.ANSWERED || seen.closedAfter() == null) {
                return Verdict.INCONCLUSIVE;
            }
            if (seen.closedAfter().isPresent()) {
                return seen.closedAfter().get().compareTo(half) >= 0 ? Verdict.IN_EFFECT : Verdict.NOT_IN_EFFECT;
            }
            // still open when the probe stopped waiting
            return seen.openAfterLastByte().compareTo(half) >= 0 ? Verdict.IN_EFFECT : Verdict.INCONCLUSIVE;
        });
    }

    private enum Verdict {
        IN_EFFECT, NOT_IN_EFFECT, INCONCLUSIVE
    }

    private static Check exchangeCheck(Conversation conversation, Duration timeout,
                                       java.util.function.Function<Exchange, Verdict> judge) {
        return new Check() {
            @Override
            public Observation observe() {
                Exchange seen = conversation.exchange(timeout);
                String evidence = conversation.describe() + " through the proxy: " + seen.summary();
                return switch (judge.apply(seen)) {
                    case IN_EFFECT -> Observation.inEffect(evidence);
                    case NOT_IN_EFFECT -> Observation.notInEffect(evidence);
                    case INCONCLUSIVE -> Observation.inconclusive(evidence + ", which shows neither the effect nor"
                            + " its absence");
                };
            }

            @Override
            public Duration observationTime() {
                return timeout;
            }

            @Override
            public long requestBytes() {
                return conversation.request().length;
            }
        };
    }

    private static String answered(Probe probe, Duration roundTrip) {
        return probe.describe() + " through the proxy answered in " + Conversation.millis(roundTrip);
    }
}
