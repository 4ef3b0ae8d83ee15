package io.revenant.supervisor;

import java.io.PrintStream;
import java.time.Instant;

import io.revenant.log.EventLine;

/**
 * One line per lifecycle event, {@code key=value} fields after a timestamp, so that a person and
 * grep both read it: {@code 2026-11-24T21:00:00.123Z event=worker-exit slot=1 worker=7 code=137}.
 * Lines go through a {@link LogWriter}, so logging never blocks the loop, and into the
 * {@link EventFeed} that the dashboard streams.
 */
final class EventLog {

    private final LogWriter out;
    private final EventFeed feed = new EventFeed();

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

    EventFeed feed() {
        return feed;
    }

    /** Logs {@code event} with alternating key, value arguments, in the one line format ({@link EventLine}). */
    void event(String event, Object... keyValues) {
        String line = EventLine.format(Instant.now(), event, keyValues);
        out.line(line);
        feed.publish(line);
    }
}
