package io.revenant.supervisor;

import java.time.Duration;
import java.util.Collection;

import io.revenant.config.SupervisorConfig;

/**
 * The loop's timers over its workers: start timeout, watchdog probes and timeouts, the SIGKILL
 * that ends a stop, and when the loop must next wake up for them. Silence is measured on the
 * loop's own clock, so a stall of the supervisor itself is noticed here and not blamed on the
 * workers.
 */
final class Deadlines {

    /** The loop turns at least this often when idle. */
    static final long IDLE_TURN_MS = 1000;
    /**
     * A gap between two loop turns longer than this means the supervisor itself was stalled
     * (SIGSTOP, a frozen VM, swap).
     */
    static final long STALL_MS = 2500;
    /** How long a hung worker gets, after SIGQUIT, to print its thread dump before SIGKILL. */
    private static final long DUMP_GRACE_MS = 1000;

    private final EventLog log;
    private final HealthProber prober;
    private long lastTurnMs = -1;

    Deadlines(EventLog log, HealthProber prober) {
        this.log = log;
        this.prober = prober;
    }

    /**
     * Called at the start of every turn. When the supervisor itself did not run for a while, no
     * worker could have been heard: each READY one gets a fresh probe window, and a starting one
     * the time it lost, instead of a SIGKILL for the supervisor's stall.
     */
    void noticeStall(Collection<WorkerProcess> workers, SupervisorConfig sup, long now) {
        long gap = lastTurnMs < 0 ? 0 : now - lastTurnMs;
        lastTurnMs = now;
        if (gap <= STALL_MS) {
            return;
        }
        log.event("supervisor-stall", "gap-ms", gap, "message",
                  "the supervisor did not run for " + gap + " ms; every worker gets a fresh watchdog window");
        for (WorkerProcess worker : workers) {
            switch (worker.state()) {
                case READY -> {
                    worker.lastHealthyMs = now;
                    worker.lastProbeMs = now - sup.watchdog().toMillis();
                }
                case STARTING -> worker.startedAtMs += gap;
                default -> {
                }
            }
        }
    }

    void enforce(Collection<WorkerProcess> workers, SupervisorConfig sup, long now) {
        long watchdog = sup.watchdog().toMillis();
        for (WorkerProcess worker : workers) {
            switch (worker.state()) {
                case STARTING -> {
                    if (now - worker.startedAtMs >= sup.timeoutStart().toMillis()) {
                        log.event("start-timeout", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                                  "timeout-ms", sup.timeoutStart().toMillis());
                        worker.imposed = ExitCause.Kind.START_TIMEOUT;
                        worker.moveTo(WorkerProcess.State.STOPPING);
                        worker.killAtMs = now;
                    }
                }
                case READY -> {
                    if (watchdog > 0) {
                        watch(worker, watchdog, now);
                    }
                }
                default -> {
                }
            }
            if (worker.state() == WorkerProcess.State.STOPPING && now >= worker.killAtMs) {
                log.event("worker-kill", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                          "reason", worker.imposed == null ? "timeout-stop" : worker.imposed.name().toLowerCase());
                worker.process.kill();
                worker.killAtMs = Long.MAX_VALUE;
            }
        }
    }

    private void watch(WorkerProcess worker, long watchdog, long now) {
        if (now - worker.lastHealthyMs > watchdog) {
            log.event("watchdog-timeout", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                      "silent-ms", now - worker.lastHealthyMs, "watchdog-ms", watchdog,
                      "action", "SIGQUIT for a thread dump, then SIGKILL");
            worker.process.dumpThreads();
            worker.imposed = ExitCause.Kind.WATCHDOG;
            worker.moveTo(WorkerProcess.State.STOPPING);
            worker.killAtMs = now + Math.min(DUMP_GRACE_MS, watchdog);
            return;
        }
        if (!worker.probeInFlight && now - worker.lastProbeMs >= watchdog / 2) {
            worker.probeInFlight = true;
            worker.lastProbeMs = now;
            prober.probe(worker.id, worker.adminPort, Duration.ofMillis(watchdog));
        }
    }

    /** The next moment a timer of {@code workers}, or {@code earliestStart} of an empty slot, is due. */
    static long next(Collection<WorkerProcess> workers, SupervisorConfig sup, boolean stopping, long earliestStart,
                     long now) {
        long next = now + IDLE_TURN_MS;
        long watchdog = sup.watchdog().toMillis();
        if (!stopping) {
            next = Math.min(next, earliestStart);
        }
        for (WorkerProcess worker : workers) {
            switch (worker.state()) {
                case STARTING -> next = stopping ? next : Math.min(next, worker.startedAtMs + sup.timeoutStart().toMillis());
                case READY -> {
                    if (watchdog > 0 && !stopping) {
                        next = Math.min(next, Math.min(worker.lastHealthyMs + watchdog + 1,
                                                       worker.lastProbeMs + watchdog / 2));
                    }
                }
                case STOPPING -> next = Math.min(next, worker.killAtMs);
                default -> {
                }
            }
        }
        return next;
    }
}
