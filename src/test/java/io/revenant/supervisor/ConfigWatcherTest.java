package io.revenant.supervisor;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.ConfigLoader;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

class ConfigWatcherTest {

    @TempDir
    Path dir;

    /** issue 11 finding 6: an empty or comments-only file (a write just after its truncation) is blank. */
    @ParameterizedTest(name = "[{0}] blank: {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                  | true",
            "'   \\n\\t\\n'                       | true",
            "'\\r\\n'                             | true",
            "'# Revenant: the one file\\n'       | true",
            "'  # indented comment\\n# another' | true",
            "'server:'                          | false",
            "'# comment\\nserver:\\n  port: 1\\n' | false",
            "'x # comment'                      | false",
    })
    void blankMeansNoSettingAtAll(String text, boolean blank) {
        byte[] bytes = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").getBytes(StandardCharsets.UTF_8);
        assertThat(ConfigWatcher.blank(bytes), is(blank));
    }

    @Test
    void emptyFileIsNeverReportedAsContent() throws IOException {
        Path file = dir.resolve("application.yaml");
        Files.writeString(file, "");
        assertThat(ConfigWatcher.snapshot(file), instanceOf(EditDebounce.Snapshot.Blank.class));
        Files.delete(file);
        assertThat(ConfigWatcher.snapshot(file), instanceOf(EditDebounce.Snapshot.Unreadable.class));
    }

    /**
     * issue 11 finding 3: at 8 MB the watcher thread died of OOM (readAllBytes) and later edits
     * were ignored. An oversized file is still a change (the loader then rejects it, logged as
     * reload-rejected), read no further than the cap.
     */
    @Test
    void oversizedFileIsAChangeReadOnlyUpToTheCap() throws IOException {
        Path file = dir.resolve("application.yaml");
        Files.write(file, new byte[50 << 20]);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        EditDebounce.Snapshot snapshot = ConfigWatcher.snapshot(file);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(snapshot, instanceOf(EditDebounce.Snapshot.Content.class));
        assertThat("bytes allocated for one poll of a 50 MB file: " + allocated,
                   allocated < 3L * ConfigLoader.MAX_BYTES, is(true));
    }

    /**
     * issue 11 finding 3: the watcher must not die. Its first two turns throw (an exception, then
     * an OutOfMemoryError); it goes on, reports each kind once, and still asks for the reload of
     * the edit that follows.
     */
    @Test
    void survivesWhatATurnThrows() {
        AtomicInteger turns = new AtomicInteger();
        Supplier<EditDebounce.Snapshot> poll = () -> switch (turns.incrementAndGet()) {
            case 1 -> throw new IllegalStateException("first turn");
            case 2, 3 -> throw new OutOfMemoryError("second turn");
            case 4, 5 -> new EditDebounce.Snapshot.Content("A");
            default -> new EditDebounce.Snapshot.Content("B");
        };
        List<Event> events = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread watcher = ConfigWatcher.start(poll, events::add, Duration.ofMillis(5), failures::add);
        try {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (events.isEmpty()) {
                if (System.nanoTime() > end) {
                    fail("no reload requested within 10 s; turns=" + turns.get() + " alive=" + watcher.isAlive()
                         + " failures=" + failures);
                }
                LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
            }
            assertThat(events.getFirst(), is(new Event.ReloadRequested("file")));
            assertThat(failures.stream().map(Throwable::getMessage).toList(), contains("first turn", "second turn"));
            assertThat(watcher.isAlive(), is(true));
        } finally {
            watcher.interrupt();
        }
    }
}
