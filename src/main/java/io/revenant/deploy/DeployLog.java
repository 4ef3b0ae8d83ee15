package io.revenant.deploy;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

import io.revenant.log.EventLine;

/**
 * One line per rollout event, in the supervisor's format ({@link EventLine}). Written straight
 * through: a deploy is a command a person watches, and it has nothing else to do while it waits.
 */
final class DeployLog {

    private final PrintStream out;
    private final long startedMillis;

    DeployLog(PrintStream out) {
        this(out, System.currentTimeMillis());
    }

    /** @param startedMillis when the command a person watches began (make up passes its own start), epoch ms */
    DeployLog(PrintStream out, long startedMillis) {
        this.out = out;
        this.startedMillis = startedMillis;
    }

    /** Logs {@code event} with alternating key, value arguments. */
    void event(String event, Object... keyValues) {
        out.println(EventLine.format(Instant.now(), event, keyValues));
        out.flush();
    }

    /** A sentence for a person, not an event. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Seconds since the start, one decimal: the {@code s=} of progress lines. */
    String elapsed() {
        return seconds(System.currentTimeMillis() - startedMillis);
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f", Math.max(0, millis) / 1000.0);
    }
}
