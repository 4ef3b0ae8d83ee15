package io.revenant.deploy;

import java.io.PrintStream;
import java.time.Instant;

/**
 * One line per rollout event, {@code key=value} after a UTC timestamp, in the supervisor's format:
 * {@code 2026-11-24T21:00:00.123Z event=container-ready name=revenant-app1 ms=2841}.
 */
final class DeployLog {

    private final PrintStream out;

    DeployLog(PrintStream out) {
        this.out = out;
    }

    /** Logs {@code event} with alternating key, value arguments. */
    void event(String event, Object... keyValues) {
        StringBuilder line = new StringBuilder(96).append(Instant.now()).append(" event=").append(event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quoted(String.valueOf(keyValues[i + 1])));
        }
        out.println(line);
        out.flush();
    }

    private static String quoted(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> c == ' ' || c == '"' || c == '=')) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
