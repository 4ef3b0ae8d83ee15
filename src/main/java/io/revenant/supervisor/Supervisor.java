package io.revenant.supervisor;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

import io.revenant.config.RevenantConfig;
import io.revenant.config.SupervisorConfig;
import io.revenant.config.WorkerCount;
import io.revenant.protocol.Notice;
import io.revenant.protocol.SupervisorExit;

/**
 * The only owner of process state, gunicorn-arbiter style: {@link #handle} each event, then
 * {@link #tick}: enforce deadlines and reconcile the pool toward its target. It does no I/O of
 * its own: workers are started through a {@link WorkerSpawner}, probed through a
 * {@link HealthProber}, and time is the {@code clock} it is given, so a unit test drives it
 * with a fake clock and fake processes ({@link SupervisorLoop} runs it for real).
 * <p>
 * Its parts, each on its own: {@link Pool} (slots, spares, the moves that start and stop
 * workers), {@link WorkerExits} (what follows an exit, decided by {@link AfterExit}),
 * {@link Reloads} (the configuration in force, reload and rollback), {@link Deadlines}
 * (timers, watchdog) and {@link Shutdown}. This class keeps the notices, signals and probes.
 */
final class Supervisor {

    private final EventLog log;
    private final LongSupplier clock;
    private final Deadlines deadlines;
    private final Pool pool;
    private final Reloads running;
    private final Shutdown shutdown;
    private final WorkerExits exits;
    private final Map<Long, WorkerProcess> workers;
    private final Map<Integer, Slot> slots;
    private long lastMemoryCheckMs;

    Supervisor(RevenantConfig config, ConfigSource reloads, int cpus, int hostCpus, WorkerSpawner spawner,
               HealthProber prober, LongSupplier clock, EventLog log) {
        this.clock = clock;
        this.log = log;
        this.deadlines = new Deadlines(log, prober);
        this.pool = new Pool(spawner, log);
        this.workers = pool.workers;
        this.slots = pool.slots;
        this.running = new Reloads(config, reloads, cpus, hostCpus, pool, log);
        this.shutdown = new Shutdown(pool, log);
        this.exits = new WorkerExits(pool, running, shutdown, log);
        running.resize(clock.getAsLong());
    }

    long now() {
        return clock.getAsLong();
    }

    RevenantConfig config() {
        return running.config();
    }

    WorkerCount workerCount() {
        return running.count();
    }

    boolean stopping() {
        return shutdown.underWay();
    }

    Collection<WorkerProcess> workers() {
        return workers.values();
    }

    Collection<Slot> slots() {
        return slots.values();
    }

    Map<String, Long> restartsByCause() {
        return exits.restartsByCause();
    }

    /** The next moment the loop must turn even if no event arrives. */
    long nextDeadline(long now) {
        long earliestStart = slots.values().stream().filter(Slot::empty).mapToLong(s -> s.startAtMs).min()
                .orElse(Long.MAX_VALUE);
        return Deadlines.next(workers.values(), sup(), shutdown.underWay(), earliestStart, now);
    }

    /** First thing in a turn, before its events: notices a stall of the supervisor itself. */
    void beginTurn(long now) {
        deadlines.noticeStall(workers.values(), sup(), now);
    }

    /** Deadlines, then the pool toward its target; the exit code once stopped and every worker is gone. */
    OptionalInt tick(long now) {
        deadlines.enforce(workers.values(), sup(), now);
        if (shutdown.underWay()) {
            return workers.isEmpty() ? OptionalInt.of(shutdown.exitCode()) : OptionalInt.empty();
        }
        recycleOversized(now);
        for (int failed = pool.reconcile(running.config(), now); failed > 0 && !shutdown.underWay(); failed--) {
            exits.spawnFailed(now);
        }
        return OptionalInt.empty();
    }

    // ---- events -------------------------------------------------------------------------------

    void handle(Event event, long now) {
        switch (event) {
            case Event.WorkerExited exited -> exits.handle(exited, now);
            case Event.WorkerNotified notified -> onNotify(notified, now);
            case Event.ProbeAnswered probe -> onProbe(probe, now);
            case Event.SignalReceived signal -> onSignal(signal.name(), now);
            case Event.ReloadRequested reload -> reload(reload.origin(), now);
        }
    }

    private void onNotify(Event.WorkerNotified notified, long now) {
        WorkerProcess worker = workers.get(notified.worker());
        if (worker == null) {
            return;
        }
        // NotifySocket let through only well-formed notices from this worker's own process
        switch (notified.notice()) {
            case Notice.Spare spare -> {
                if (worker.spare() && worker.state() == WorkerProcess.State.STARTING) {
                    worker.moveTo(WorkerProcess.State.SPARE);
                    pool.idleSpares.add(worker);
                    log.event("spare-ready", "worker", worker.id, "pid", worker.pid(), "warm-ms", now - worker.startedAtMs);
                }
            }
            case Notice.Ready ready -> {
                if (worker.state() == WorkerProcess.State.STARTING && !worker.spare()) {
                    worker.moveTo(WorkerProcess.State.READY);
                    worker.readyAtMs = now;
                    worker.lastHealthyMs = now;
                    worker.adminPort = ready.adminPort();
                    running.proven(worker);
                    log.event("worker-ready", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                              "start-ms", now - worker.startedAtMs, "admin-port", worker.adminPort,
                              "socket", "socket:[" + ready.socketInode() + "]",
                              "swap-us", ready.swapMicros(), "wake-us", ready.wakeMicros());
                    Slot slot = slots.get(worker.slot);
                    if (slot != null && slot.successor == worker) {
                        WorkerProcess old = slot.current;
                        slot.current = worker;
                        slot.successor = null;
                        if (old != null) {
                            stopWorker(old, "replaced", now);
                        }
                    }
                }
            }
            case Notice.Recycle recycle -> {
                if (worker.ready()) {
                    pool.replace(worker, recycle.reason());
                }
            }
        }
    }

    private void recycleOversized(long now) {
        long maxMemoryMib = running.config().worker().maxMemoryMib();
        if (maxMemoryMib > 0 && now - lastMemoryCheckMs >= Deadlines.IDLE_TURN_MS) {
            lastMemoryCheckMs = now;
            for (WorkerProcess worker : workers.values()) {
                long rssKib = worker.process.rssKib();
                if (worker.ready() && rssKib > maxMemoryMib * 1024) {
                    pool.replace(worker, "max-memory rss-mib=" + rssKib / 1024);
                }
            }
        }
    }

    private void onProbe(Event.ProbeAnswered probe, long now) {
        WorkerProcess worker = workers.get(probe.worker());
        if (worker == null) {
            return;
        }
        worker.probeInFlight = false;
        if (probe.healthy()) {
            worker.lastHealthyMs = now;
        }
    }

    private void onSignal(String name, long now) {
        log.event("signal", "name", name, "stopping", shutdown.underWay());
        switch (name) {
            case "TERM", "INT" -> {
                if (shutdown.underWay()) {
                    // a second TERM/INT means "now": no more waiting for in-flight requests
                    workers.values().forEach(worker -> worker.killAtMs = now);
                } else {
                    shutdown.begin(SupervisorExit.CLEAN, sup().timeoutStop(), now);
                }
            }
            case "HUP" -> reload("signal", now);
            default -> {
            }
        }
    }

    private void reload(String origin, long now) {
        if (!shutdown.underWay()) {
            running.reload(origin, now);
        }
    }

    private SupervisorConfig sup() {
        return running.config().supervisor();
    }

    private void stopWorker(WorkerProcess worker, String reason, long now) {
        pool.stop(worker, reason, sup().timeoutStop(), now);
    }
}
