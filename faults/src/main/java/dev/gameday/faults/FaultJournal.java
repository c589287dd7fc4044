package dev.gameday.faults;

import dev.gameday.faults.internal.Reverters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * The on-disk record of applied faults, so that a fault survives no killed harness. Each injection's
 * {@link AppliedState} is written here before the fault is applied and removed once its revert is verified. A run
 * killed in between (kill -9, a lost machine) leaves its entry behind; {@link #cleanup()} reverts every entry whose
 * owner process is gone, and {@code gameday cleanup} and the start of every run call it.
 *
 * <p>The journal lives in {@code $GAMEDAY_STATE_DIR/faults}, or {@code ~/.local/state/gameday/faults}; the
 * {@code gameday.state.dir} system property overrides both. Entries are readable by their owner only, since a
 * datastore fault's revert may need its password.
 *
 * <pre>{@code
 * for (String line : FaultJournal.standard().cleanup()) {
 *     System.out.println(line);   // reverted redis-timeout (Toxiproxy timeout toxic on 'redis'), left by pid 4242
 * }
 * }</pre>
 */
public final class FaultJournal {

    private static final String SUFFIX = ".fault";
    private static final String VALUE_PREFIX = "value.";

    private final Path directory;

    private FaultJournal(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The journal every run uses, in the state directory described above. */
    public static FaultJournal standard() {
        return at(stateDirectory().resolve("faults"));
    }

    /** A journal in this directory, created when the first entry is written; for tests and for several users. */
    public static FaultJournal at(Path directory) {
        return new FaultJournal(directory);
    }

    /** Where this journal keeps its entries. */
    public Path directory() {
        return directory;
    }

    /**
     * One applied fault as the journal records it.
     *
     * @param file         the entry's file
     * @param fault        the fault's name
     * @param description  what the fault does, for messages
     * @param ownerPid     the process that applied it
     * @param ownerStarted when that process started, so that a recycled pid is not taken for the owner
     * @param recordedAt   when the entry was written
     * @param state        what the revert needs
     */
    public record Entry(Path file, String fault, String description, long ownerPid, Optional<Instant> ownerStarted,
                        Instant recordedAt, AppliedState state) {

        /** Whether the process that applied the fault is still running. */
        public boolean ownerAlive() {
            return ProcessHandle.of(ownerPid)
                    .filter(ProcessHandle::isAlive)
                    .map(handle -> ownerStarted.isEmpty() || handle.info().startInstant().equals(ownerStarted))
                    .orElse(false);
        }
    }

    /**
     * Writes an entry before the fault is applied; the write is atomic, so a kill never leaves half an entry.
     *
     * @throws UncheckedIOException when it cannot be written: the fault must then not be applied
     */
    public Entry record(String fault, String description, AppliedState state) {
        ProcessHandle self = ProcessHandle.current();
        Entry entry = new Entry(directory.resolve(fault + "-" + UUID.randomUUID() + SUFFIX), fault, description,
                self.pid(), self.info().startInstant(), Instant.now(), state);
        Properties properties = new Properties();
        properties.setProperty("fault", fault);
        properties.setProperty("description", description);
        properties.setProperty("owner.pid", Long.toString(entry.ownerPid()));
        entry.ownerStarted().ifPresent(started -> properties.setProperty("owner.started", started.toString()));
        properties.setProperty("recorded", entry.recordedAt().toString());
        properties.setProperty("backend", state.backend());
        state.values().forEach((key, value) -> properties.setProperty(VALUE_PREFIX + key, value));
        try {
            Files.createDirectories(directory);
            Path temporary = directory.resolve("." + entry.file().getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                restrictToOwner(temporary);
                properties.store(out, "gameday: a fault applied by pid " + entry.ownerPid() + "; 'gameday cleanup'"
                        + " reverts it if that process is gone");
            }
            try {
                Files.move(temporary, entry.file(), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, entry.file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the fault journal entry for '" + fault + "' in " + directory
                    + ": " + e.getMessage() + ". Without it a killed run could leave the fault applied, so it is not"
                    + " applied. Make the directory writable, or set GAMEDAY_STATE_DIR to one that is.", e);
        }
        return entry;
    }

    /** Removes an entry once its fault is reverted (or was never applied). */
    public void clear(Entry entry) {
        try {
            Files.deleteIfExists(entry.file());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove fault journal entry " + entry.file() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every entry, of live and dead owners alike; unreadable files are skipped. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                read(file).ifPresent(entries::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the fault journal " + directory + ": " + e.getMessage(), e);
        }
        entries.sort(java.util.Comparator.comparing(Entry::recordedAt));
        return entries;
    }

    /** The entries whose owner is gone: faults a killed run left applied. */
    public List<Entry> leftovers() {
        return entries().stream().filter(entry -> !entry.ownerAlive()).toList();
    }

    /**
     * Reverts every fault a killed run left applied, newest first, and removes its entry; an entry whose revert fails
     * stays, for the next attempt. Faults of live runs are left alone.
     *
     * @return one line per entry, saying what was done, for the console
     */
    public List<String> cleanup() {
        List<Entry> leftovers = new ArrayList<>(leftovers());
        java.util.Collections.reverse(leftovers);
        List<String> done = new ArrayList<>();
        for (Entry entry : leftovers) {
            String origin = "'" + entry.fault() + "' (" + entry.description() + "), left applied by pid "
                    + entry.ownerPid() + " at " + entry.recordedAt();
            try {
                String outcome = Reverters.revert(entry.state());
                clear(entry);
                done.add("reverted " + origin + ": " + outcome);
            } catch (Exception e) {
                done.add("could NOT revert " + origin + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage()) + ". Its entry stays in " + entry.file() + "; revert it by hand and delete"
                        + " the file, or run 'gameday cleanup' again.");
            }
        }
        return done;
    }

    private static Optional<Entry> read(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            Map<String, String> values = new LinkedHashMap<>();
            properties.stringPropertyNames().stream().sorted().filter(key -> key.startsWith(VALUE_PREFIX))
                    .forEach(key -> values.put(key.substring(VALUE_PREFIX.length()), properties.getProperty(key)));
            String started = properties.getProperty("owner.started");
            return Optional.of(new Entry(file, properties.getProperty("fault"), properties.getProperty("description"),
                    Long.parseLong(properties.getProperty("owner.pid")),
                    started == null ? Optional.empty() : Optional.of(Instant.parse(started)),
                    Instant.parse(properties.getProperty("recorded")),
                    new AppliedState(properties.getProperty("backend"), values)));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // cleared by its owner meanwhile
        } catch (IOException | RuntimeException e) {
            System.err.println("gameday: skipping unreadable fault journal entry " + file + ": " + e);
            return Optional.empty();
        }
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the directory's own permissions apply
        }
    }

    private static Path stateDirectory() {
        String property = System.getProperty("gameday.state.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String variable = System.getenv("GAMEDAY_STATE_DIR");
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "gameday");
    }
}
