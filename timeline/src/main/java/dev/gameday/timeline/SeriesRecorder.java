package dev.gameday.timeline;

/**
 * Records the requests of one series (for example "place order") into its {@link TimelineRecorder}.
 *
 * <p>A request has two start times. Its <em>intended</em> start is when the open-model schedule said it was due; its
 * <em>send</em> is when the injector got round to it. They differ only when the injector falls behind (a GC pause,
 * CPU starvation). The latency from the intended start is what a user arriving on time would have seen, and it is
 * what objectives are judged on; the latency from the send leaves the injector's own delay out, so that the verdict can
 * tell the injector's trouble from the system's (see HdrHistogram's notes on coordinated omission).
 *
 * <pre>{@code
 * long due = recorder.now();          // from the arrival schedule
 * long sent = recorder.now();         // when the request actually went out
 * orders.record(Outcome.SUCCESS, due, sent, recorder.now());
 * }</pre>
 */
public final class SeriesRecorder {

    private final TimelineRecorder recorder;
    private final int index;
    private final String name;

    SeriesRecorder(TimelineRecorder recorder, int index, String name) {
        this.recorder = recorder;
        this.index = index;
        this.name = name;
    }

    /**
     * Records one request.
     *
     * @param outcome       what became of it
     * @param intendedNanos ticker reading when the schedule said it was due; it is counted in that second
     * @param sentNanos     ticker reading when it was actually sent, no earlier than it was due
     * @param endNanos      ticker reading when its outcome was known
     */
    public void record(Outcome outcome, long intendedNanos, long sentNanos, long endNanos) {
        recorder.record(index, outcome, intendedNanos, sentNanos, endNanos);
    }

    /**
     * Records a request that was answered with a status the scenario does not accept ({@link Outcome#ERROR_STATUS}),
     * keeping the status for the failure breakdown.
     */
    public void recordErrorStatus(int status, long intendedNanos, long sentNanos, long endNanos) {
        recorder.record(index, Outcome.ERROR_STATUS, intendedNanos, sentNanos, endNanos, status, null, null);
    }

    /**
     * Records a request that got no response ({@link Outcome#NO_RESPONSE}), keeping why for the failure breakdown.
     *
     * @param error     what kind of error ended it
     * @param errorType the exception's class name, kept for {@link TransportError#OTHER} errors; may be null
     */
    public void recordNoResponse(TransportError error, String errorType, long intendedNanos, long sentNanos,
                                 long endNanos) {
        recorder.record(index, Outcome.NO_RESPONSE, intendedNanos, sentNanos, endNanos, 0, error, errorType);
    }

    /**
     * Counts a request as in flight from now until it is recorded, so that the live view can tell requests that hang
     * from requests never sent ({@link TimelineRecorder#inFlight}). Call it as the request is sent, with the same
     * intended start it will be recorded with.
     */
    public void sending(long intendedNanos) {
        recorder.sending(intendedNanos);
    }

    /** Records a request that was sent exactly when it was due. */
    public void record(Outcome outcome, long startNanos, long endNanos) {
        recorder.record(index, outcome, startNanos, startNanos, endNanos);
    }

    public String name() {
        return name;
    }
}
