package io.revenant.supervisor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The new supervisor's half of a {@link Handover} after it has the socket: waits until its pool
 * is ready, tells the predecessor to drain, then takes the admin port and the hand-over name.
 * If the pool is not ready in time it gives up: the predecessor, never told to drain, keeps
 * serving, and this supervisor stops its workers and exits {@code BOOT_FAILURE}.
 */
final class Succession {

    private static final long POLL_MS = 50;

    private Succession() {
    }

    /** Every worker READY, at least {@code min-ready}, not stopping: then the predecessor may go. */
    static boolean ready(PoolSnapshot pool) {
        return pool != null && !pool.stopping() && pool.target() > 0 && pool.ready() >= pool.target()
               && pool.ready() >= pool.minReady();
    }

    /**
     * Runs the succession on its own thread.
     *
     * @param takeOver  binds the admin listener and the hand-over name, once the predecessor has let them go
     * @param stop      begins this supervisor's graceful stop
     * @param failed    set when the succession gave up
     */
    static void start(HandoverTaker predecessor, Supplier<PoolSnapshot> pool, Duration deadline, Runnable takeOver,
                      Runnable stop, AtomicBoolean failed, EventLog log) {
        Thread.ofPlatform().daemon().name("succession").start(() -> {
            long until = System.nanoTime() + deadline.toNanos();
            while (!ready(pool.get())) {
                PoolSnapshot now = pool.get();
                if (System.nanoTime() > until || (now != null && now.stopping())) {
                    predecessor.close();
                    failed.set(true);
                    log.event("handover-failed", "ready", now == null ? 0 : now.ready(),
                              "workers", now == null ? 0 : now.target(), "deadline-ms", deadline.toMillis(),
                              "message", "the workers were not all READY in time; the serving supervisor keeps serving"
                                         + " and this one stops");
                    stop.run();
                    return;
                }
                try {
                    Thread.sleep(POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            boolean answered = predecessor.drain();
            predecessor.close();
            log.event("handover-done", "workers", pool.get().ready(), "predecessor-answered", answered,
                      "message", "this supervisor serves the socket; the predecessor drains and exits");
            takeOver.run();
        });
    }
}
