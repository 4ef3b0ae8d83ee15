package io.revenant.supervisor;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per lifecycle event, {@code key=value} fields after a timestamp, so that a person and
 * grep both read it: {@code 2026-11-24T21:00:00.123Z event=worker-exit slot=1 worker=7 code=137}.
 */
final class EventLog {

    private final PrintStream out;

    EventLog(PrintStream out) {
        this.out = out;
    }

    /** Logs {@code event} with alternating key, value arguments. */
    void event(String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96).append(Instant.now()).append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quoted(String.valueOf(keyValues[i + 1])));
        }
        out.println(line);
    }

    private static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=')) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
