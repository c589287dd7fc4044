package dev.gameday.reports;

import dev.gameday.timeline.Timeline;
import dev.gameday.timeline.TimelineLog;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Writes the timeline's per-second latency histograms as an HdrHistogram interval log, {@code timeline.hlog}: the
 * raw material for re-analysis, for merging the logs of several injectors, and for HdrHistogram's own tools.
 *
 * <pre>{@code
 * Path log = new HistogramLogReport().write(run, dir);
 * Timeline intervals = TimelineLog.read(Files.newInputStream(log));
 * }</pre>
 */
public final class HistogramLogReport implements Report {

    /** The file {@link #write} creates. */
    public static final String FILE_NAME = "timeline.hlog";

    @Override
    public Path write(RunReport run, Path directory) throws IOException {
        return Output.file(directory, FILE_NAME, "Histogram log", out -> write(run.timeline(), out));
    }

    static void write(Timeline timeline, OutputStream out) throws IOException {
        Recording recording = new Recording(out);
        TimelineLog.write(timeline, recording);
        recording.rethrow();
    }

    /**
     * Remembers the first write failure. {@link TimelineLog#write} prints through a {@link java.io.PrintStream}, which
     * swallows I/O errors; without this a full disk would leave a truncated log and no error.
     */
    private static final class Recording extends FilterOutputStream {
        private IOException failure;

        Recording(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        private IOException remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }

        void rethrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
