package io.revenant.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.revenant.config.SupervisorConfig;
import io.revenant.protocol.SupervisorExit;
import io.revenant.protocol.WorkerExit;

/**
 * A worker's process has ended: classify why, log it, roll back a reload it proves bad, and
 * carry out the {@link AfterExit} decision on its slot (restart after the back-off, leave
 * empty, give up on the start limit). Loop-thread only.
 */
final class WorkerExits {

    private final Pool pool;
    private final Reloads running;
    private final Shutdown shutdown;
    private final EventLog log;
    private final Map<String, Long> restartsByCause = new TreeMap<>();

    WorkerExits(Pool pool, Reloads running, Shutdown shutdown, EventLog log) {
        this.pool = pool;
        this.running = running;
        this.shutdown = shutdown;
        this.log = log;
    }

    /** Restarts so far, by cause ({@code exit-code}, {@code signal}, …), for the status page. */
    Map<String, Long> restartsByCause() {
        return restartsByCause;
    }

    void handle(Event.WorkerExited exited, long now) {
        WorkerProcess worker = pool.workers.remove(exited.worker());
        if (worker == null) {
            return;
        }
        worker.process.forget();
        boolean wasReady = worker.wasReady();
        ExitCause cause = ExitCause.classify(exited.exitCode(), worker.imposed, wasReady);
        List<Object> fields = new ArrayList<>(List.of("slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                "code", exited.exitCode(), "cause", name(cause), "detail", cause.detail(),
                "uptime-ms", now - worker.startedAtMs, "was-ready", wasReady));
        String meaning = WorkerExit.meaning(exited.exitCode());
        if (!meaning.isEmpty() && worker.imposed == null) {
            fields.addAll(List.of("meaning", meaning));
        }
        if (!shutdown.underWay()) {
            running.rollBackIfUnproven(worker, cause, now);
        }
        Slot slot = pool.slots.get(worker.slot);
        AfterExit.Place place = placeOf(worker, slot);
        SupervisorConfig sup = running.config().supervisor();
        AfterExit next = AfterExit.decide(place, cause, wasReady, shutdown.underWay(), sup.restart(),
                                          running.startLimit(), now);
        switch (place) {
            case SPARE -> {
                pool.idleSpares.remove(worker);
                log.event("spare-exit", fields.toArray());
                if (next == AfterExit.RETRY_SPARE) {
                    pool.nextSpareAtMs = now + sup.restartSec().toMillis();
                }
            }
            case RETIRED -> log.event("worker-exit", fields.toArray());
            case SUCCESSOR -> {
                slot.lastExit = cause;
                slot.successor = null;
                log.event("worker-exit", fields.toArray());
                if (next != AfterExit.NOTHING) {
                    log.event("replace-failed", "slot", slot.index, "worker", worker.id,
                              "reason", "new worker exited before READY; old worker keeps serving");
                    pool.rolling.clear();
                }
            }
            case SLOT -> {
                slot.lastExit = cause;
                slot.current = null;
                afterSlotExit(next, slot, worker, cause, fields, now);
                return;
            }
        }
        if (next.givesUp()) {
            giveUp(next, cause, now);
        }
    }

    /** A worker could not even be started: a failed start for the start limit. */
    void spawnFailed(long now) {
        if (running.startLimit().recordAndCheck(now)) {
            giveUp(AfterExit.GIVE_UP_BOOT_FAILURE, new ExitCause(ExitCause.Kind.EXIT_CODE, -1, "spawn-failed"), now);
        }
    }

    private static AfterExit.Place placeOf(WorkerProcess worker, Slot slot) {
        if (worker.spare()) {
            return AfterExit.Place.SPARE;
        }
        if (slot == null || (slot.current != worker && slot.successor != worker)) {
            return AfterExit.Place.RETIRED;
        }
        return slot.successor == worker ? AfterExit.Place.SUCCESSOR : AfterExit.Place.SLOT;
    }

    private void afterSlotExit(AfterExit next, Slot slot, WorkerProcess worker, ExitCause cause, List<Object> fields,
                               long now) {
        switch (next) {
            case LEAVE_EMPTY -> {
                slot.startAtMs = Long.MAX_VALUE;
                fields.addAll(List.of("restart", "no"));
                log.event("worker-exit", fields.toArray());
                stopIfPoolGone(cause, now);
            }
            case GIVE_UP_BOOT_FAILURE, GIVE_UP_CRASH_LOOP -> {
                giveUp(next, cause, now);
                fields.addAll(List.of("restart", "start-limit"));
                log.event("worker-exit", fields.toArray());
            }
            case RESTART -> {
                SupervisorConfig sup = running.config().supervisor();
                boolean stayedUp = worker.wasReady() && now - worker.readyAtMs >= sup.restartResetAfter().toMillis();
                RestartDelay delay = RestartDelay.after(cause, stayedUp, slot.failures, !pool.idleSpares.isEmpty(),
                                                        sup);
                slot.failures = delay.failures();
                slot.startAtMs = now + delay.delay().toMillis();
                slot.restarts++;
                restartsByCause.merge(name(cause), 1L, Long::sum);
                boolean spareTook = pool.takeSpare(slot, running.config(), now);
                fields.addAll(List.of("restart-in-ms", delay.delay().toMillis(), "failures", slot.failures));
                if (spareTook && slot.current != null) {
                    fields.addAll(List.of("taken-by", slot.current.id));
                }
                log.event("worker-exit", fields.toArray());
                if (spareTook && slot.current == null) {
                    spawnFailed(now);
                }
            }
            default -> log.event("worker-exit", fields.toArray());
        }
    }

    /** Over the start limit: logs why and stops the supervisor with the boot-failure or crash-loop code. */
    private void giveUp(AfterExit decision, ExitCause cause, long now) {
        SupervisorConfig sup = running.config().supervisor();
        boolean served = decision == AfterExit.GIVE_UP_CRASH_LOOP;
        log.event("start-limit-hit", "restarts", running.startLimit().recent(),
                  "interval-sec", sup.startLimitInterval().toMillis() / 1000.0,
                  "burst", sup.startLimitBurst(), "last-cause", cause.detail(),
                  "kind", served ? "crash-after-serving" : "boot-failure",
                  "message", served
                          ? "workers keep crashing after serving; giving up so the outer restart policy takes over"
                          : "workers keep failing before READY; giving up so the outer restart policy takes over",
                  "exit", decision.exitCode());
        shutdown.begin(decision.exitCode(), sup.timeoutStop(), now);
    }

    private void stopIfPoolGone(ExitCause lastCause, long now) {
        boolean anyAlive = !pool.workers.isEmpty();
        boolean anyPending = pool.slots.values().stream().anyMatch(s -> s.startAtMs != Long.MAX_VALUE);
        if (!anyAlive && !anyPending) {
            int code = lastCause.failure() ? SupervisorExit.WORKERS_FAILED : SupervisorExit.CLEAN;
            SupervisorConfig sup = running.config().supervisor();
            log.event("pool-empty", "restart", sup.restart().yaml(), "exit", code);
            shutdown.begin(code, sup.timeoutStop(), now);
        }
    }

    private static String name(ExitCause cause) {
        return cause.kind().name().toLowerCase().replace('_', '-');
    }
}
