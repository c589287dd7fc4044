package dev.gameday.timeline;

/**
 * Records the requests of one series (for example "place order") into its {@link TimelineRecorder}.
 *
 * <pre>{@code
 * long start = recorder.now();
 * orders.record(Outcome.SUCCESS, start, recorder.now());
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
     * @param outcome    what became of it
     * @param startNanos ticker reading when it was due to start
     * @param endNanos   ticker reading when its outcome was known
     */
    public void record(Outcome outcome, long startNanos, long endNanos) {
        recorder.record(index, outcome, startNanos, endNanos);
    }

    public String name() {
        return name;
    }
}
