package io.revenant.deploy;

import java.io.PrintStream;
import java.time.Instant;

import io.revenant.log.EventLine;

/**
 * One line per rollout event, in the supervisor's format ({@link EventLine}). Written straight
 * through: a deploy is a command a person watches, and it has nothing else to do while it waits.
 */
final class DeployLog {

    private final PrintStream out;

    DeployLog(PrintStream out) {
        this.out = out;
    }

    /** Logs {@code event} with alternating key, value arguments. */
    void event(String event, Object... keyValues) {
        out.println(EventLine.format(Instant.now(), event, keyValues));
        out.flush();
    }
}
