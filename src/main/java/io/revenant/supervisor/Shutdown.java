package io.revenant.supervisor;

import java.time.Duration;

import io.revenant.protocol.SupervisorExit;

/**
 * The supervisor's own stop, begun once: by TERM/INT, by the start limit, or by a pool with no
 * worker left to run. From then on every worker gets SIGTERM, nothing is restarted or
 * reloaded, and the loop ends with {@link #exitCode()} when the last worker is gone.
 * Loop-thread only.
 */
final class Shutdown {

    private final Pool pool;
    private final EventLog log;
    private boolean underWay;
    private int exitCode = SupervisorExit.CLEAN;

    Shutdown(Pool pool, EventLog log) {
        this.pool = pool;
        this.log = log;
    }

    boolean underWay() {
        return underWay;
    }

    /** The code the supervisor exits with: that of the first reason to stop. */
    int exitCode() {
        return exitCode;
    }

    void begin(int code, Duration timeoutStop, long now) {
        if (underWay) {
            return;
        }
        underWay = true;
        exitCode = code;
        pool.rolling.clear();
        log.event("supervisor-stop", "workers", pool.workers.size(), "timeout-stop-ms", timeoutStop.toMillis(),
                  "exit", code);
        for (WorkerProcess worker : pool.workers.values()) {
            pool.stop(worker, "shutdown", timeoutStop, now);
        }
    }
}
