package dev.gameday.reports;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes report files so that every failure names the report, the file, and what to check. */
final class Output {

    /** Produces a file's content onto a stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private Output() {
    }

    /** Creates the directory if it is missing, or explains why it cannot be a results directory. */
    static Path directory(Path directory, String what) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IOException(what + ": the results directory " + directory + " exists but is not a directory."
                    + " Pass a directory path; it is created if it is missing.");
        }
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IOException(what + ": could not create the results directory " + directory + " ("
                    + describe(e) + "). Check that its parent is writable, or choose another results directory.", e);
        }
    }

    /** Writes {@code directory/fileName}, replacing any earlier file of that name. */
    static Path file(Path directory, String fileName, String what, Content content) throws IOException {
        directory(directory, what);
        Path file = directory.resolve(fileName);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            content.writeTo(out);
        } catch (IOException e) {
            throw new IOException(what + ": could not write " + file + " (" + describe(e) + "). Check that the"
                    + " directory is writable and the disk has space, or choose another results directory.", e);
        }
        return file;
    }

    static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
