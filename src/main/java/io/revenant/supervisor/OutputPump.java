package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies a worker's stdout or stderr to the supervisor's, each line prefixed with the worker id.
 * It reads as fast as the worker writes whatever happens downstream (the {@link LogWriter}
 * drops what its reader cannot take), so a worker never blocks on a full pipe to us.
 */
final class OutputPump {

    /** A longer line is cut here and marked: a worker's log line, not a memory hazard. */
    static final int MAX_LINE_BYTES = 16 * 1024;

    private OutputPump() {
    }

    static void start(long workerId, InputStream from, LogWriter to) {
        String prefix = "[worker " + workerId + "] ";
        Thread.ofPlatform().daemon().name("output-" + workerId).start(() -> {
            BoundedLineReader lines = new BoundedLineReader(from, MAX_LINE_BYTES);
            try (from) {
                for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
                    to.line(prefix + new String(line.bytes(), StandardCharsets.UTF_8)
                            + (line.overflowed() ? " …[line cut at " + MAX_LINE_BYTES + " bytes]" : ""));
                }
            } catch (IOException e) {
                // the worker is gone and its pipe closed; its exit is reported through onExit()
            }
        });
    }
}
