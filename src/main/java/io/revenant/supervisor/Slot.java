package io.revenant.supervisor;

/**
 * A position in the worker pool. A replacement takes its dead worker's slot; during a rolling
 * reload a slot briefly holds the old worker and its successor. Loop-thread only.
 */
final class Slot {

    final int index;
    /** The worker serving this slot, or null while it waits for a (re)start. */
    WorkerProcess current;
    /** A new worker starting to replace {@code current} (reload, recycling), or null. */
    WorkerProcess successor;
    /** Earliest moment (nanoTime ms) an empty slot may start a worker; Long.MAX_VALUE = never. */
    long startAtMs;
    /** Consecutive failures without a worker staying up restart-reset-sec; drives back-off. */
    int failures;
    int restarts;
    ExitCause lastExit;

    Slot(int index) {
        this.index = index;
    }

    boolean empty() {
        return current == null && successor == null;
    }
}
