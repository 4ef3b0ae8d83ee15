package io.revenant.log;

import java.time.Instant;

/**
 * The one format of an event line, {@code key=value} fields after a UTC timestamp, so that a
 * person and grep both read it: {@code 2026-11-24T21:00:00.123Z event=container-ready name=revenant-app1 ms=2841}.
 * A value with a space, quote, {@code =} or control character is quoted and escaped, so that one
 * event is always one line, whatever an engine's or a worker's error text holds.
 */
public final class EventLine {

    private EventLine() {
    }

    /** The line of {@code event} at {@code at}, with alternating key, value arguments (an odd last key is dropped). */
    public static String format(Instant at, String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96).append(at).append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quoted(String.valueOf(keyValues[i + 1])));
        }
        return line.toString();
    }

    /** The value as it stands in a line: bare when it is one plain word, else quoted with escapes. */
    static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20 || c == 0x7f)) {
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
