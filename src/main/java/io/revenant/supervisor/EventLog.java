package io.revenant.supervisor;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per lifecycle event, {@code key=value} fields after a timestamp, so that a person and
 * grep both read it: {@code 2026-11-24T21:00:00.123Z event=worker-exit slot=1 worker=7 code=137}.
 * Lines go through a {@link LogWriter}, so logging never blocks the loop.
 */
final class EventLog {

    private final LogWriter out;

    EventLog(LogWriter out) {
        this.out = out;
    }

    /** For tests: events written straight through a writer of its own. */
    EventLog(PrintStream out) {
        this(LogWriter.of(out, "events"));
    }

    LogWriter writer() {
        return out;
    }

    /** Logs {@code event} with alternating key, value arguments. */
    void event(String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96).append(Instant.now()).append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quoted(String.valueOf(keyValues[i + 1])));
        }
        out.line(line.toString());
    }

    private static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            return value;
        }
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '"' -> quoted.append("\\\"");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
