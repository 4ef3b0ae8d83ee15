package io.revenant.supervisor;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.revenant.config.RevenantConfig;
import io.revenant.config.SupervisorConfig;

/**
 * The pool's slots and workers, and the moves that start, bind, replace and stop them: the
 * reconcile step of the loop. What to do after an exit, a reload or a signal is the
 * {@link Supervisor}'s decision; this class only carries it out. Loop-thread only.
 */
final class Pool {

    final Map<Integer, Slot> slots = new TreeMap<>();
    final Map<Long, WorkerProcess> workers = new HashMap<>();
    /** Slots whose worker is to be replaced start-new-then-stop-old, one at a time. */
    final Deque<Integer> rolling = new ArrayDeque<>();
    /** Warm spares waiting for a slot, oldest first. */
    final Deque<WorkerProcess> idleSpares = new ArrayDeque<>();
    /** Earliest moment a new spare may be started (after a spare failed). */
    long nextSpareAtMs;

    private final WorkerSpawner spawner;
    private final EventLog log;
    private long nextWorkerId = 1;

    Pool(WorkerSpawner spawner, EventLog log) {
        this.spawner = spawner;
        this.log = log;
    }

    /** Adds slots up to {@code target} and retires slots beyond it. */
    void resize(int target, Duration timeoutStop, long now) {
        for (int index = 1; index <= target; index++) {
            slots.computeIfAbsent(index, Slot::new);
        }
        List<Integer> extra = slots.keySet().stream().filter(index -> index > target).toList();
        for (int index : extra) {
            Slot slot = slots.remove(index);
            for (WorkerProcess worker : new WorkerProcess[] {slot.current, slot.successor}) {
                if (worker != null) {
                    stop(worker, "scale-down", timeoutStop, now);
                }
            }
        }
    }

    /**
     * Starts what is missing: empty slots whose delay is over (from a warm spare when there is
     * one), spares, and the next replacement.
     *
     * @return how many workers could not be started (each one a failed start)
     */
    int reconcile(RevenantConfig config, long now) {
        int failed = 0;
        for (Slot slot : slots.values()) {
            if (slot.empty() && slot.startAtMs <= now) {
                if (!takeSpare(slot, config, now)) {
                    slot.current = spawn(slot, slot.restarts == 0 ? "start" : "restart", config, now);
                }
                failed += slot.current == null ? 1 : 0;
            }
        }
        long spares = workers.values().stream().filter(WorkerProcess::spare).count();
        // a JVM starting beside a spare that is taking over a slot takes the cores that spare
        // needs for its first accept (on 2 cores the takeover took 2-3 times longer): the next
        // spare starts once the bound one reports READY, or exits, or its start times out
        boolean adopting = workers.values().stream().anyMatch(WorkerProcess::adopting);
        for (long i = spares; i < config.supervisor().spare() && now >= nextSpareAtMs && !adopting; i++) {
            WorkerProcess spare = launch(0, true, config, now);
            if (spare == null) {
                nextSpareAtMs = now + config.supervisor().restartSec().toMillis();
            } else {
                log.event("spare-spawn", "worker", spare.id, "pid", spare.pid());
            }
        }
        boolean replacing = slots.values().stream().anyMatch(slot -> slot.successor != null);
        while (!replacing && !rolling.isEmpty()) {
            Slot slot = slots.get(rolling.poll());
            if (slot != null && slot.current != null && slot.current.ready()) {
                slot.successor = spawn(slot, "replace", config, now);
                replacing = slot.successor != null;
                failed += replacing ? 0 : 1;
            }
        }
        return failed;
    }

    /**
     * An empty slot whose delay is over takes a warm spare, if one is idle; false when none is
     * (the slot then needs a new JVM). True also when the spare was lost and its replacement
     * could not be started: the slot is then still empty, a failed start. The exit handling
     * calls it before it logs, so that the dead worker's queued connections do not wait for the
     * log line.
     */
    boolean takeSpare(Slot slot, RevenantConfig config, long now) {
        if (!slot.empty() || slot.startAtMs > now) {
            return false;
        }
        WorkerProcess spare = idleSpares.pollFirst();
        if (spare == null) {
            return false;
        }
        slot.current = bind(spare, slot, config, now);
        return true;
    }

    /** Queues the slot of {@code worker} for a start-new-then-stop-old replacement. */
    void replace(WorkerProcess worker, String reason) {
        Slot slot = slots.get(worker.slot);
        if (slot != null && slot.current == worker && !rolling.contains(slot.index)) {
            log.event("worker-recycle", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(), "reason", reason);
            rolling.add(slot.index);
        }
    }

    /** Graceful stop: SIGTERM now, SIGKILL after {@code timeoutStop}. */
    void stop(WorkerProcess worker, String reason, Duration timeoutStop, long now) {
        if (worker.state() == WorkerProcess.State.STOPPING) {
            return;
        }
        worker.moveTo(WorkerProcess.State.STOPPING);
        if (worker.imposed == null) {
            worker.imposed = ExitCause.Kind.REQUESTED;
        }
        worker.killAtMs = now + timeoutStop.toMillis();
        log.event("worker-stop", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(), "reason", reason);
        worker.process.terminate();
    }

    /** A warm spare takes the slot: it adopts the lent socket and reports READY within milliseconds. */
    private WorkerProcess bind(WorkerProcess spare, Slot slot, RevenantConfig config, long now) {
        if (!spare.process.bind(slot.index)) {
            log.event("spare-lost", "worker", spare.id, "pid", spare.pid());
            stop(spare, "spare-lost", config.supervisor().timeoutStop(), now);
            return spawn(slot, "restart", config, now);
        }
        spare.slot = slot.index;
        spare.bound = true;
        spare.moveTo(WorkerProcess.State.STARTING);
        spare.startedAt = Instant.now();
        spare.startedAtMs = now;
        log.event("spare-bind", "slot", slot.index, "worker", spare.id, "pid", spare.pid());
        return spare;
    }

    private WorkerProcess spawn(Slot slot, String reason, RevenantConfig config, long now) {
        WorkerProcess worker = launch(slot.index, false, config, now);
        if (worker == null) {
            SupervisorConfig sup = config.supervisor();
            slot.failures++;
            slot.startAtMs = now + Backoff.delay(sup.restartSec(), sup.restartMaxDelay(), sup.restartSteps(),
                                                 slot.failures).toMillis();
            return null;
        }
        log.event("worker-spawn", "slot", slot.index, "worker", worker.id, "pid", worker.pid(), "reason", reason);
        return worker;
    }

    /** Starts a worker for {@code slotIndex} (0 for a spare); null, logged, if it cannot be started. */
    private WorkerProcess launch(int slotIndex, boolean spare, RevenantConfig config, long now) {
        long id = nextWorkerId++;
        try {
            WorkerProcess worker = new WorkerProcess(id, slotIndex, spawner.spawn(id, slotIndex, spare, config), config,
                                                     Instant.now(), now);
            workers.put(id, worker);
            return worker;
        } catch (IOException e) {
            log.event("spawn-failed", "slot", slotIndex, "worker", id, "error", e.getMessage());
            return null;
        }
    }
}
