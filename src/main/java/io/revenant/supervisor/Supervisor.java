package io.revenant.supervisor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.RevenantConfig;
import io.revenant.config.SupervisorConfig;
import io.revenant.config.WorkerCount;
import io.revenant.protocol.Notice;
import io.revenant.protocol.SupervisorExit;
import io.revenant.protocol.WorkerExit;

/**
 * The only owner of process state, gunicorn-arbiter style: {@link #handle} each event, then
 * {@link #tick}: enforce deadlines and reconcile the pool toward its target. It does no I/O of
 * its own: workers are started through a {@link WorkerSpawner}, probed through a
 * {@link HealthProber}, and time is the {@code clock} it is given, so a unit test drives it
 * with a fake clock and fake processes ({@link SupervisorLoop} runs it for real).
 */
final class Supervisor {

    private final EventLog log;
    private final ConfigSource reloads;
    private final WorkerSpawner spawner;
    private final LongSupplier clock;
    private final int cpus;
    private final int hostCpus;
    private final Deadlines deadlines;
    private final Pool pool;
    private final Map<Long, WorkerProcess> workers;
    private final Map<Integer, Slot> slots;
    private final Map<String, Long> restartsByCause = new TreeMap<>();

    private RevenantConfig config;
    /** The configuration the last READY worker was started with: where a failed reload returns. */
    private RevenantConfig lastGood;
    private WorkerCount count;
    private StartLimit startLimit;
    private boolean stopping;
    private int exitCode = SupervisorExit.CLEAN;
    private long lastMemoryCheckMs;

    Supervisor(RevenantConfig config, ConfigSource reloads, int cpus, int hostCpus, WorkerSpawner spawner,
               HealthProber prober, LongSupplier clock, EventLog log) {
        this.config = config;
        this.reloads = reloads;
        this.cpus = cpus;
        this.hostCpus = hostCpus;
        this.spawner = spawner;
        this.clock = clock;
        this.log = log;
        this.deadlines = new Deadlines(log, prober);
        this.pool = new Pool(spawner, log);
        this.workers = pool.workers;
        this.slots = pool.slots;
        applyLimits(config);
        resize(clock.getAsLong());
    }

    long now() {
        return clock.getAsLong();
    }

    RevenantConfig config() {
        return config;
    }

    WorkerCount workerCount() {
        return count;
    }

    boolean stopping() {
        return stopping;
    }

    Collection<WorkerProcess> workers() {
        return workers.values();
    }

    Collection<Slot> slots() {
        return slots.values();
    }

    Map<String, Long> restartsByCause() {
        return restartsByCause;
    }

    /** The next moment the loop must turn even if no event arrives. */
    long nextDeadline(long now) {
        long earliestStart = slots.values().stream().filter(Slot::empty).mapToLong(s -> s.startAtMs).min()
                .orElse(Long.MAX_VALUE);
        return Deadlines.next(workers.values(), config.supervisor(), stopping, earliestStart, now);
    }

    /** First thing in a turn, before its events: notices a stall of the supervisor itself. */
    void beginTurn(long now) {
        deadlines.noticeStall(workers.values(), config.supervisor(), now);
    }

    /** Deadlines, then the pool toward its target; the exit code once stopped and every worker is gone. */
    OptionalInt tick(long now) {
        deadlines.enforce(workers.values(), config.supervisor(), now);
        if (stopping) {
            return workers.isEmpty() ? OptionalInt.of(exitCode) : OptionalInt.empty();
        }
        recycleOversized(now);
        for (int failed = pool.reconcile(config, now); failed > 0 && !stopping; failed--) {
            giveUpOnStartLimit(new ExitCause(ExitCause.Kind.EXIT_CODE, -1, "spawn-failed"), false, now);
        }
        return OptionalInt.empty();
    }

    // ---- events -------------------------------------------------------------------------------

    void handle(Event event, long now) {
        switch (event) {
            case Event.WorkerExited exited -> onExit(exited, now);
            case Event.WorkerNotified notified -> onNotify(notified, now);
            case Event.ProbeAnswered probe -> onProbe(probe, now);
            case Event.SignalReceived signal -> onSignal(signal.name(), now);
            case Event.ReloadRequested reload -> reload(reload.origin(), now);
        }
    }

    private void onExit(Event.WorkerExited exited, long now) {
        WorkerProcess worker = workers.remove(exited.worker());
        if (worker == null) {
            return;
        }
        worker.process.forget();
        boolean wasReady = worker.wasReady();
        ExitCause cause = ExitCause.classify(exited.exitCode(), worker.imposed, wasReady);
        List<Object> fields = new ArrayList<>(List.of("slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                "code", exited.exitCode(), "cause", cause.kind().name().toLowerCase().replace('_', '-'),
                "detail", cause.detail(), "uptime-ms", now - worker.startedAtMs, "was-ready", wasReady));
        String meaning = WorkerExit.meaning(exited.exitCode());
        if (!meaning.isEmpty() && worker.imposed == null) {
            fields.addAll(List.of("meaning", meaning));
        }
        if (cause.failure() && !wasReady && !stopping) {
            rollBackIfUnproven(worker, cause, now);
        }
        Slot slot = slots.get(worker.slot);
        if (worker.spare()) {
            pool.idleSpares.remove(worker);
            log.event("spare-exit", fields.toArray());
            if (cause.failure() && !stopping && !giveUpOnStartLimit(cause, false, now)) {
                pool.nextSpareAtMs = now + config.supervisor().restartSec().toMillis();
            }
        } else if (slot == null || (slot.current != worker && slot.successor != worker)) {
            // retired by scale-down, or the old worker of a finished replacement
            log.event("worker-exit", fields.toArray());
        } else if (slot.successor == worker) {
            slot.lastExit = cause;
            slot.successor = null;
            log.event("worker-exit", fields.toArray());
            if (cause.failure() && !stopping) {
                log.event("replace-failed", "slot", slot.index, "worker", worker.id,
                          "reason", "new worker exited before READY; old worker keeps serving");
                pool.rolling.clear();
                giveUpOnStartLimit(cause, wasReady, now);
            }
        } else {
            slot.lastExit = cause;
            slot.current = null;
            restartSlot(slot, worker, cause, fields, now);
        }
    }

    /** The slot's worker is gone: the restart table, the start limit and the back-off decide what next. */
    private void restartSlot(Slot slot, WorkerProcess worker, ExitCause cause, List<Object> fields, long now) {
        if (stopping) {
            log.event("worker-exit", fields.toArray());
            return;
        }
        if (!RestartPolicy.restarts(config.supervisor().restart(), cause)) {
            slot.startAtMs = Long.MAX_VALUE;
            fields.addAll(List.of("restart", "no"));
            log.event("worker-exit", fields.toArray());
            stopIfPoolGone(cause, now);
            return;
        }
        if (cause.failure() && cause.kind() != ExitCause.Kind.CHAOS_KILL
                && giveUpOnStartLimit(cause, worker.wasReady(), now)) {
            fields.addAll(List.of("restart", "start-limit"));
            log.event("worker-exit", fields.toArray());
            return;
        }
        SupervisorConfig sup = config.supervisor();
        boolean stayedUp = worker.wasReady() && now - worker.readyAtMs >= sup.restartResetAfter().toMillis();
        RestartDelay next = RestartDelay.after(cause, stayedUp, slot.failures, sup);
        slot.failures = next.failures();
        slot.startAtMs = now + next.delay().toMillis();
        slot.restarts++;
        restartsByCause.merge(cause.kind().name().toLowerCase().replace('_', '-'), 1L, Long::sum);
        fields.addAll(List.of("restart-in-ms", next.delay().toMillis(), "failures", slot.failures));
        log.event("worker-exit", fields.toArray());
    }

    /**
     * Records a failure restart; when it exceeds the start limit, logs why and stops the
     * supervisor with the boot-failure or crash-loop code, and returns true.
     */
    private boolean giveUpOnStartLimit(ExitCause cause, boolean wasReady, long now) {
        if (!startLimit.recordAndCheck(now)) {
            return false;
        }
        SupervisorConfig sup = config.supervisor();
        int code = wasReady ? SupervisorExit.CRASH_LOOP : SupervisorExit.BOOT_FAILURE;
        log.event("start-limit-hit", "restarts", startLimit.recent(),
                  "interval-sec", sup.startLimitInterval().toMillis() / 1000.0,
                  "burst", sup.startLimitBurst(), "last-cause", cause.detail(),
                  "kind", wasReady ? "crash-after-serving" : "boot-failure",
                  "message", wasReady
                          ? "workers keep crashing after serving; giving up so the outer restart policy takes over"
                          : "workers keep failing before READY; giving up so the outer restart policy takes over",
                  "exit", code);
        beginStop(code, now);
        return true;
    }

    /**
     * A worker started with the configuration in force failed before READY, and that
     * configuration differs, in what workers see, from the last one that produced a READY
     * worker: the reload is to blame, not the worker. Going back keeps a bad JVM option or a
     * broken setting from being retried forever while /health still says UP.
     */
    private void rollBackIfUnproven(WorkerProcess worker, ExitCause cause, long now) {
        if (lastGood == null || worker.config != config || ReloadPlan.sameForWorkers(config, lastGood)) {
            return;
        }
        log.event("reload-rollback", "worker", worker.id, "cause", cause.detail(), "to", lastGood.source(),
                  "message", "a worker of the reloaded configuration failed before READY;"
                             + " back to the configuration that last produced READY workers");
        config = lastGood;
        count = WorkerCount.resolve(cpus, hostCpus, config.supervisor());
        pool.rolling.clear();
        // the others started with it go too; their slots start again at once, with the old settings
        for (Slot slot : slots.values()) {
            if (unproven(slot.successor, worker)) {
                stopWorker(slot.successor, "reload-rollback", now);
                slot.successor = null;
            }
            if (unproven(slot.current, worker)) {
                stopWorker(slot.current, "reload-rollback", now);
                slot.current = null;
                slot.startAtMs = now;
            }
        }
        for (WorkerProcess spare : workers.values().stream().filter(w -> w.spare() && w.config != lastGood).toList()) {
            stopWorker(spare, "reload-rollback", now);
        }
        pool.idleSpares.removeIf(spare -> spare.config != lastGood);
        resize(now);
    }

    /** A worker of the configuration being rolled back that has not served yet, other than {@code failed}. */
    private boolean unproven(WorkerProcess candidate, WorkerProcess failed) {
        return candidate != null && candidate != failed && candidate.config != lastGood && !candidate.ready();
    }

    private void stopIfPoolGone(ExitCause lastCause, long now) {
        boolean anyAlive = !workers.isEmpty();
        boolean anyPending = slots.values().stream().anyMatch(s -> s.startAtMs != Long.MAX_VALUE);
        if (!anyAlive && !anyPending) {
            int code = lastCause.failure() ? SupervisorExit.WORKERS_FAILED : SupervisorExit.CLEAN;
            log.event("pool-empty", "restart", config.supervisor().restart().yaml(), "exit", code);
            beginStop(code, now);
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
                    lastGood = worker.config;
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
        long maxMemoryMib = config.worker().maxMemoryMib();
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
        log.event("signal", "name", name, "stopping", stopping);
        switch (name) {
            case "TERM", "INT" -> {
                if (stopping) {
                    // a second TERM/INT means "now": no more waiting for in-flight requests
                    workers.values().forEach(worker -> worker.killAtMs = now);
                } else {
                    beginStop(SupervisorExit.CLEAN, now);
                }
            }
            case "HUP" -> reload("signal", now);
            default -> {
            }
        }
    }

    // ---- reload -------------------------------------------------------------------------------

    private void reload(String origin, long now) {
        if (stopping) {
            return;
        }
        RevenantConfig loaded;
        try {
            loaded = reloads.load();
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                log.event("reload-rejected", "origin", origin, "file", error.source(), "key", error.key(),
                          "error", error.detail());
            }
            log.event("reload-rejected", "origin", origin, "message", "the running configuration stays in force");
            return;
        }
        ReloadPlan plan = ReloadPlan.of(config, loaded, origin);
        if (plan.serverKept()) {
            log.event("reload-note", "key", "server", "message", "server.* changes take effect at the next start:"
                      + " the supervisor keeps the listening socket it opened for its whole life");
        }
        if (!plan.apply()) {
            return;
        }
        if (plan.adminLater()) {
            log.event("reload-note", "key", "admin", "message", "admin.* changes take effect at the next start");
        }
        config = plan.next();
        applyLimits(config);
        // spares carry the settings they were started with
        for (WorkerProcess spare : workers.values().stream().filter(WorkerProcess::spare).toList()) {
            stopWorker(spare, "reload", now);
        }
        pool.idleSpares.clear();
        List<Integer> existing = new ArrayList<>(slots.keySet());
        resize(now);
        pool.rolling.clear();
        if (plan.replaceAll()) {
            existing.stream().filter(slots::containsKey).forEach(pool.rolling::add);
        }
        log.event("reload", "origin", origin, "file", config.source(), "workers", count.workers(),
                  "basis", count.basis(), "replace", pool.rolling.size());
    }

    private void applyLimits(RevenantConfig next) {
        count = WorkerCount.resolve(cpus, hostCpus, next.supervisor());
        startLimit = new StartLimit(next.supervisor().startLimitBurst(), next.supervisor().startLimitInterval().toMillis());
    }

    private void resize(long now) {
        pool.resize(count.workers(), config.supervisor().timeoutStop(), now);
    }

    // ---- stopping -----------------------------------------------------------------------------

    private void beginStop(int code, long now) {
        if (stopping) {
            return;
        }
        stopping = true;
        exitCode = code;
        pool.rolling.clear();
        log.event("supervisor-stop", "workers", workers.size(),
                  "timeout-stop-ms", config.supervisor().timeoutStop().toMillis(), "exit", code);
        for (WorkerProcess worker : workers.values()) {
            stopWorker(worker, "shutdown", now);
        }
    }

    private void stopWorker(WorkerProcess worker, String reason, long now) {
        pool.stop(worker, reason, config.supervisor().timeoutStop(), now);
    }
}
