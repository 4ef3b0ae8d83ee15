package io.revenant.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Issue 11 finding 1: a reader that stopped reading used to block every thread that logged. */
class LogWriterTest {

    @Test
    void aStuckReaderCostsDroppedLinesNeverABlockedCaller() throws IOException {
        // a pipe of 1 KiB that nobody reads yet: the writer thread blocks on it, as on a full stdout pipe
        PipedInputStream reader = new PipedInputStream(1024);
        PrintStream stuck = new PrintStream(new PipedOutputStream(reader), true, StandardCharsets.UTF_8);
        LogWriter writer = new LogWriter(stuck, "stdout", 10_000);

        // a hang guard, not a speed assertion: before, the 20th line or so never returned
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 5_000; i++) {
                writer.line("line " + i + " " + "x".repeat(80));
            }
        });
        long dropped = writer.droppedTotal();
        assertThat(dropped, greaterThan(4_000L));

        // the reader comes back: what was queued arrives, then the count of what was not
        BufferedReader lines = new BufferedReader(new InputStreamReader(reader, StandardCharsets.UTF_8));
        assertMatches(lines.readLine(), "line 0 x+");
        String line = lines.readLine();
        while (!line.contains("event=log-dropped")) {
            assertMatches(line, "line \\d+ x+");
            line = lines.readLine();
        }
        assertMatches(line, ".* event=log-dropped stream=stdout lines=" + dropped + " .*");
        writer.line("after");
        assertThat(lines.readLine(), is("after"));
    }

    @Test
    void flushWaitsForTheQueueAndGivesUpOnAStuckReader() throws IOException {
        PipedInputStream reader = new PipedInputStream(64);
        LogWriter writer = new LogWriter(new PrintStream(new PipedOutputStream(reader), true, StandardCharsets.UTF_8),
                                         "stdout", 10_000);
        writer.line("x".repeat(200));
        assertThat(writer.flush(200), is(false));
        reader.readNBytes(201);
        assertThat(writer.flush(10_000), is(true));
    }

    private static void assertMatches(String line, String regex) {
        if (line == null || !line.matches(regex)) {
            throw new AssertionError("expected a line matching /" + regex + "/, got: " + line);
        }
    }
}
