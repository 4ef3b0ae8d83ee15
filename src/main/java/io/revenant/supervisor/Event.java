package io.revenant.supervisor;

import io.revenant.protocol.Notice;

/**
 * Everything that can change the supervisor's state. Callbacks (process exits, signals, the
 * notify socket, probes, the admin API, the config watcher) only enqueue one of these; the
 * supervisor loop is the only code that acts on them.
 */
sealed interface Event {

    /** A worker process ended; {@code exitCode} follows the JDK: 128+N when killed by signal N. */
    record WorkerExited(long worker, int exitCode) implements Event {
    }

    /** A worker sent a notice on its own connection (READY, SPARE, RECYCLE). */
    record WorkerNotified(long worker, Notice notice) implements Event {
    }

    /** A watchdog probe finished. */
    record ProbeAnswered(long worker, boolean healthy, String detail) implements Event {
    }

    /** TERM, INT, HUP or USR2 arrived. */
    record SignalReceived(String name) implements Event {
    }

    /** Re-read the config file and roll the workers ({@code origin}: signal, admin, file). */
    record ReloadRequested(String origin) implements Event {
    }
}
