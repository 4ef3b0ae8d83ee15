package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.revenant.config.ConfigLoader;

/**
 * Notices edits of application.yaml by polling its content every {@link #PERIOD} (inotify
 * misses edits through bind mounts and editors that replace the file) and asks for a reload once
 * {@link EditDebounce} says the edit is complete. It reads at most the loader's size cap + 1
 * byte, keeps only a digest, and survives anything a turn throws: a dead watcher would silently
 * ignore every later edit.
 */
final class ConfigWatcher {

    /**
     * Poll period: an edit is applied 0.5–1 s after the file last changed (two equal reads in a
     * row), and a write that stalls for less than this is never applied half done.
     */
    static final Duration PERIOD = Duration.ofMillis(500);

    private ConfigWatcher() {
    }

    static void start(Path file, Consumer<Event> events) {
        start(() -> snapshot(file), events, PERIOD, ConfigWatcher::report);
    }

    /**
     * The loop, with what it reads, its period and where failures go passed in (tests). A
     * failure goes to {@code failures} once per exception class, so one that repeats every turn
     * cannot flood the log.
     */
    static Thread start(Supplier<EditDebounce.Snapshot> poll, Consumer<Event> events, Duration period,
                        Consumer<Throwable> failures) {
        return Thread.ofPlatform().daemon().name("config-watch").start(() -> {
            EditDebounce debounce = null;
            Set<Class<?>> reported = new HashSet<>();
            while (true) {
                try {
                    if (debounce == null) {
                        debounce = new EditDebounce(poll.get());
                    } else if (debounce.observe(poll.get())) {
                        events.accept(new Event.ReloadRequested("file"));
                    }
                } catch (Throwable e) {
                    // even an OutOfMemoryError caused elsewhere in the heap: the next turn may well succeed
                    if (reported.add(e.getClass())) {
                        failures.accept(e);
                    }
                }
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    // only an interrupt stops the watcher: the JVM is going away
                    return;
                }
            }
        });
    }

    private static void report(Throwable failure) {
        System.err.println("revenant: config-watch: " + failure.getClass().getName() + ": " + failure.getMessage()
                           + "; the watcher goes on (each kind of failure is reported once)");
    }

    /** One poll: never more than the cap + 1 byte in memory. */
    static EditDebounce.Snapshot snapshot(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(ConfigLoader.MAX_BYTES + 1);
        } catch (IOException e) {
            // a half-replaced file: look again next period
            return new EditDebounce.Snapshot.Unreadable();
        }
        if (bytes.length <= ConfigLoader.MAX_BYTES && blank(bytes)) {
            return new EditDebounce.Snapshot.Blank();
        }
        return new EditDebounce.Snapshot.Content(digest(bytes));
    }

    /** No setting: every line is empty, whitespace or a comment. */
    static boolean blank(byte[] bytes) {
        boolean comment = false;
        for (byte b : bytes) {
            if (b == '\n') {
                comment = false;
            } else if (!comment) {
                if (b == '#') {
                    comment = true;
                } else if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
        }
        return true;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
