package io.revenant.supervisor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An immutable picture of the pool, published by the supervisor loop after every turn so that
 * the admin listener can answer without touching loop-owned state.
 *
 * @param publishedAtNanos {@link System#nanoTime()} when the loop built it: its age is the age of
 *                         the loop's last turn, which {@code /health} reports
 * @param logLinesDropped  output lines dropped since the start because the supervisor's reader
 *                         did not keep up (see {@link LogWriter})
 */
record PoolSnapshot(String instance,
                    String version,
                    long pid,
                    Instant startedAt,
                    String configSource,
                    String workerCount,
                    int target,
                    int minReady,
                    boolean stopping,
                    List<SlotView> slots,
                    Map<String, Long> restartsByCause,
                    long publishedAtNanos,
                    long logLinesDropped) {

    /** One worker of the pool; {@code worker} is -1 and {@code state} "waiting" for an empty slot. */
    record SlotView(int slot, long worker, long pid, String state, int restarts, String lastExit,
                    Instant startedAt, int adminPort) {
    }

    long ready() {
        return slots.stream().filter(slot -> slot.state().equals("ready")).count();
    }
}
