package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.config.SupervisorConfig;
import io.revenant.config.WorkerCount;
import io.revenant.config.WorkerSettings;
import io.revenant.net.ListenSocket;
import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.worker.WorkerExit;

/**
 * The only owner of process state. One loop, gunicorn-arbiter style: wait for an event (at most
 * a second, so timers run when idle), handle it, enforce deadlines (start timeout, stop timeout,
 * watchdog), then reconcile the pool toward its target. Everything else only enqueues events.
 */
final class Supervisor {

    /** How long a hung worker gets, after SIGQUIT, to print its thread dump before SIGKILL. */
    private static final long DUMP_GRACE_MS = 1000;
    private static final long IDLE_TURN_MS = 1000;
    /**
     * A gap between two loop turns longer than this means the supervisor itself was stalled
     * (SIGSTOP, a frozen VM, swap): the loop turns at least every {@link #IDLE_TURN_MS}.
     */
    static final long STALL_MS = 2500;

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final EventLog log;
    /** Where the workers' stderr goes; their stdout goes with the event log. */
    private final LogWriter workerErrors;
    private final Path configPath;
    private final String instance;
    private final String version;
    private final long pid = ProcessHandle.current().pid();
    private final Instant startedAt = Instant.now();
    private final int cpus;
    private final int hostCpus;
    private final Map<Integer, Slot> slots = new TreeMap<>();
    private final Map<Long, WorkerProcess> workers = new HashMap<>();
    /** Slots whose worker is to be replaced start-new-then-stop-old, one at a time. */
    private final Deque<Integer> rolling = new ArrayDeque<>();
    private final Map<String, Long> restartsByCause = new TreeMap<>();
    /** Warm spares waiting for a slot, oldest first. */
    private final Deque<WorkerProcess> idleSpares = new ArrayDeque<>();
    /** Earliest moment a new spare may be started (after a spare failed). */
    private long nextSpareAtMs;
    private final AtomicReference<PoolSnapshot> snapshot = new AtomicReference<>();

    private RevenantConfig config;
    /** The configuration the last READY worker was started with: where a failed reload returns. */
    private RevenantConfig lastGood;
    private long lastTurnMs = -1;
    private WorkerCount count;
    private StartLimit startLimit;
    private WorkerLauncher launcher;
    private NotifySocket notify;
    private long nextWorkerId = 1;
    private boolean stopping;
    private int exitCode = SupervisorExit.CLEAN;
    private long lastMemoryCheckMs;
    /** The public listening socket: opened before the loop, kept for the supervisor's life. */
    private final ListenSocket listener;
    private SocketLender lender;
    /** The workers' pids, which the lender and the notify socket check their peers against. */
    private final WorkerPids workerPids = new WorkerPids();

    Supervisor(RevenantConfig config, Path configPath, String instance, String version, int cpus, int hostCpus,
               ListenSocket listener, EventLog log, LogWriter workerErrors) {
        this.config = config;
        this.listener = listener;
        this.configPath = configPath;
        this.instance = instance;
        this.version = version;
        this.cpus = cpus;
        this.hostCpus = hostCpus;
        this.log = log;
        this.workerErrors = workerErrors;
        applyLimits(config);
    }

    /** Where signal handlers, the admin API and watchers drop their events. */
    void enqueue(Event event) {
        events.add(event);
    }

    AtomicReference<PoolSnapshot> snapshot() {
        return snapshot;
    }

    WorkerCount workerCount() {
        return count;
    }

    /** Runs until stopped; returns the process exit code. Call on a thread that lives as long. */
    int run() throws IOException, InterruptedException {
        launcher = new WorkerLauncher(this::enqueue, log.writer(), workerErrors);
        notify = NotifySocket.open(RuntimeDirectories.create(), workerPids, this::enqueue, log);
        lender = SocketLender.start(notify.directory(), listener, workerPids, log);
        try {
            resize(now());
            publish(now());
            while (true) {
                long now = now();
                Event event = events.poll(Math.max(1, nextDeadline(now) - now), TimeUnit.MILLISECONDS);
                noticeStall(now());
                while (event != null) {
                    handle(event, now());
                    event = events.poll();
                }
                now = now();
                enforceDeadlines(now);
                if (stopping) {
                    if (workers.isEmpty()) {
                        log.event("supervisor-exit", "code", exitCode);
                        return exitCode;
                    }
                } else {
                    reconcile(now);
                }
                OrphanReaper.reap(jdkChildren(), log);
                publish(now);
            }
        } finally {
            lender.close();
            notify.close();
        }
    }

    // ---- events -------------------------------------------------------------------------------

    private void handle(Event event, long now) {
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
        workerPids.remove(worker.pid());
        notify.disconnect(worker.id);
        boolean wasReady = worker.readyAtMs >= 0;
        ExitCause cause = ExitCause.classify(exited.exitCode(), worker.imposed, wasReady);
        Slot slot = slots.get(worker.slot);
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
        if (worker.spare()) {
            idleSpares.remove(worker);
            log.event("spare-exit", fields.toArray());
            if (cause.failure() && !stopping && !giveUpOnStartLimit(cause, false, now)) {
                nextSpareAtMs = now + config.supervisor().restartSec().toMillis();
            }
            return;
        }
        if (slot == null || (slot.current != worker && slot.successor != worker)) {
            // retired by scale-down, or the old worker of a finished replacement
            log.event("worker-exit", fields.toArray());
            return;
        }
        slot.lastExit = cause;
        if (slot.successor == worker) {
            slot.successor = null;
            log.event("worker-exit", fields.toArray());
            if (cause.failure() && !stopping) {
                log.event("replace-failed", "slot", slot.index, "worker", worker.id,
                          "reason", "new worker exited before READY; old worker keeps serving");
                rolling.clear();
                giveUpOnStartLimit(cause, wasReady, now);
            }
            return;
        }
        slot.current = null;
        if (stopping) {
            log.event("worker-exit", fields.toArray());
            return;
        }
        if (!RestartPolicy.restarts(config.supervisor().restart(), cause)) {
            slot.startAtMs = Long.MAX_VALUE;
            fields.addAll(List.of("restart", "no"));
            log.event("worker-exit", fields.toArray());
            stopIfPoolGone(cause);
            return;
        }
        if (cause.failure() && cause.kind() != ExitCause.Kind.CHAOS_KILL && giveUpOnStartLimit(cause, wasReady, now)) {
            fields.addAll(List.of("restart", "start-limit"));
            log.event("worker-exit", fields.toArray());
            return;
        }
        Duration delay = restartDelay(slot, cause, worker, now);
        slot.startAtMs = now + delay.toMillis();
        slot.restarts++;
        restartsByCause.merge(cause.kind().name().toLowerCase().replace('_', '-'), 1L, Long::sum);
        fields.addAll(List.of("restart-in-ms", delay.toMillis(), "failures", slot.failures));
        log.event("worker-exit", fields.toArray());
    }

    private Duration restartDelay(Slot slot, ExitCause cause, WorkerProcess worker, long now) {
        SupervisorConfig sup = config.supervisor();
        if (cause.kind() == ExitCause.Kind.CHAOS_KILL) {
            // a deliberate kill says nothing about the worker's health: no back-off
            return Duration.ZERO;
        }
        boolean stayedUp = worker.readyAtMs >= 0 && now - worker.readyAtMs >= sup.restartResetAfter().toMillis();
        slot.failures = !cause.failure() || stayedUp ? 1 : slot.failures + 1;
        return Backoff.delay(sup.restartSec(), sup.restartMaxDelay(), sup.restartSteps(), slot.failures);
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
        if (lastGood == null || worker.config != config || sameForWorkers(config, lastGood)) {
            return;
        }
        log.event("reload-rollback", "worker", worker.id, "cause", cause.detail(), "to", lastGood.source(),
                  "message", "a worker of the reloaded configuration failed before READY;"
                             + " back to the configuration that last produced READY workers");
        config = lastGood;
        count = WorkerCount.resolve(cpus, hostCpus, config.supervisor().containers(), config.supervisor().workers());
        rolling.clear();
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
        idleSpares.removeIf(spare -> spare.config != lastGood);
        resize(now);
    }

    /** A worker of the configuration being rolled back that has not served yet, other than {@code failed}. */
    private boolean unproven(WorkerProcess candidate, WorkerProcess failed) {
        return candidate != null && candidate != failed && candidate.config != lastGood && !candidate.ready();
    }

    /** Whether a worker started under {@code a} runs exactly as one started under {@code b}. */
    private static boolean sameForWorkers(RevenantConfig a, RevenantConfig b) {
        return a.server().equals(b.server())
                && a.chaos().equals(b.chaos())
                && a.worker().equals(b.worker())
                && a.supervisor().timeoutStop().equals(b.supervisor().timeoutStop());
    }

    private void stopIfPoolGone(ExitCause lastCause) {
        boolean anyAlive = !workers.isEmpty();
        boolean anyPending = slots.values().stream().anyMatch(s -> s.startAtMs != Long.MAX_VALUE);
        if (!anyAlive && !anyPending) {
            int code = lastCause.failure() ? SupervisorExit.WORKERS_FAILED : SupervisorExit.CLEAN;
            log.event("pool-empty", "restart", config.supervisor().restart().yaml(), "exit", code);
            beginStop(code, now());
        }
    }

    private void onNotify(Event.WorkerNotified notified, long now) {
        WorkerProcess worker = workers.get(notified.worker());
        if (worker == null) {
            return;
        }
        Map<String, String> fields = notified.fields();
        if ("1".equals(fields.get("SPARE")) && worker.spare() && worker.state == WorkerProcess.State.STARTING) {
            worker.state = WorkerProcess.State.SPARE;
            idleSpares.add(worker);
            log.event("spare-ready", "worker", worker.id, "pid", worker.pid(), "warm-ms", now - worker.startedAtMs);
            return;
        }
        // NotifySocket let through only well-formed lines from this worker's own process
        if ("1".equals(fields.get("READY")) && worker.state == WorkerProcess.State.STARTING && !worker.spare()) {
            worker.state = WorkerProcess.State.READY;
            worker.readyAtMs = now;
            worker.lastHealthyMs = now;
            worker.adminPort = Integer.parseInt(fields.get("ADMIN_PORT"));
            lastGood = worker.config;
            log.event("worker-ready", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                      "start-ms", now - worker.startedAtMs, "admin-port", worker.adminPort,
                      "socket", "socket:[" + fields.getOrDefault("SOCKET", "?") + "]",
                      "swap-us", fields.getOrDefault("SWAP_US", ""), "wake-us", fields.getOrDefault("WAKE_US", ""));
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
        String recycle = fields.get("RECYCLE");
        if (recycle != null && worker.ready()) {
            requestReplacement(worker, recycle);
        }
    }

    private void requestReplacement(WorkerProcess worker, String reason) {
        Slot slot = slots.get(worker.slot);
        if (slot != null && slot.current == worker && !rolling.contains(slot.index)) {
            log.event("worker-recycle", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(), "reason", reason);
            rolling.add(slot.index);
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
        RevenantConfig next;
        try {
            next = ConfigLoader.loadForReload(configPath);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                log.event("reload-rejected", "origin", origin, "file", error.source(), "key", error.key(),
                          "error", error.detail());
            }
            log.event("reload-rejected", "origin", origin, "message", "the running configuration stays in force");
            return;
        }
        if (!next.server().equals(config.server())) {
            log.event("reload-note", "key", "server", "message", "server.* changes take effect at the next start:"
                      + " the supervisor keeps the listening socket it opened for its whole life");
            next = next.withServer(config.server());
        }
        boolean workersChange = !sameForWorkers(next, config);
        boolean replaceAll = !origin.equals("file") || workersChange;
        if (origin.equals("file") && next.equals(config)) {
            return;
        }
        if (!next.admin().equals(config.admin())) {
            log.event("reload-note", "key", "admin", "message", "admin.* changes take effect at the next start");
        }
        config = next;
        applyLimits(next);
        // spares carry the settings they were started with
        for (WorkerProcess spare : workers.values().stream().filter(WorkerProcess::spare).toList()) {
            stopWorker(spare, "reload", now);
        }
        idleSpares.clear();
        List<Integer> existing = new ArrayList<>(slots.keySet());
        resize(now);
        rolling.clear();
        if (replaceAll) {
            existing.stream().filter(slots::containsKey).forEach(rolling::add);
        }
        log.event("reload", "origin", origin, "file", configPath, "workers", count.workers(),
                  "basis", count.basis(), "replace", rolling.size());
    }

    private void applyLimits(RevenantConfig next) {
        count = WorkerCount.resolve(cpus, hostCpus, next.supervisor().containers(), next.supervisor().workers());
        startLimit = new StartLimit(next.supervisor().startLimitBurst(), next.supervisor().startLimitInterval().toMillis());
    }

    /** Adds slots up to the worker count and retires slots beyond it. */
    private void resize(long now) {
        for (int index = 1; index <= count.workers(); index++) {
            slots.computeIfAbsent(index, Slot::new);
        }
        List<Integer> extra = slots.keySet().stream().filter(index -> index > count.workers()).toList();
        for (int index : extra) {
            Slot slot = slots.remove(index);
            for (WorkerProcess worker : new WorkerProcess[] {slot.current, slot.successor}) {
                if (worker != null) {
                    stopWorker(worker, "scale-down", now);
                }
            }
        }
    }

    // ---- deadlines ----------------------------------------------------------------------------

    private void enforceDeadlines(long now) {
        SupervisorConfig sup = config.supervisor();
        long watchdog = sup.watchdog().toMillis();
        for (WorkerProcess worker : workers.values()) {
            switch (worker.state) {
                case STARTING -> {
                    if (now - worker.startedAtMs >= sup.timeoutStart().toMillis()) {
                        log.event("start-timeout", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                                  "timeout-ms", sup.timeoutStart().toMillis());
                        worker.imposed = ExitCause.Kind.START_TIMEOUT;
                        worker.state = WorkerProcess.State.STOPPING;
                        worker.killAtMs = now;
                    }
                }
                case READY -> {
                    if (watchdog > 0) {
                        watch(worker, watchdog, now);
                    }
                }
                case STOPPING -> {
                }
            }
            if (worker.state == WorkerProcess.State.STOPPING && now >= worker.killAtMs) {
                log.event("worker-kill", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                          "reason", worker.imposed == null ? "timeout-stop" : worker.imposed.name().toLowerCase());
                worker.process.toHandle().destroyForcibly();
                worker.killAtMs = Long.MAX_VALUE;
            }
        }
        long maxMemoryMib = config.worker().maxMemoryMib();
        if (maxMemoryMib > 0 && !stopping && now - lastMemoryCheckMs >= IDLE_TURN_MS) {
            lastMemoryCheckMs = now;
            for (WorkerProcess worker : workers.values()) {
                long rssKib = ProcStatus.rssKib(worker.pid());
                if (worker.ready() && rssKib > maxMemoryMib * 1024) {
                    requestReplacement(worker, "max-memory rss-mib=" + rssKib / 1024);
                }
            }
        }
    }

    /**
     * The watchdog measures a worker's silence on the supervisor's own clock. When the
     * supervisor itself did not run for a while, no worker could have been heard: each gets a
     * fresh probe window (and a starting one the time it lost) instead of a SIGKILL for the
     * supervisor's stall.
     */
    private void noticeStall(long now) {
        long gap = lastTurnMs < 0 ? 0 : now - lastTurnMs;
        lastTurnMs = now;
        if (gap <= STALL_MS) {
            return;
        }
        log.event("supervisor-stall", "gap-ms", gap, "message",
                  "the supervisor did not run for " + gap + " ms; every worker gets a fresh watchdog window");
        for (WorkerProcess worker : workers.values()) {
            switch (worker.state) {
                case READY -> {
                    worker.lastHealthyMs = now;
                    worker.lastProbeMs = now - config.supervisor().watchdog().toMillis();
                }
                case STARTING -> worker.startedAtMs += gap;
                default -> {
                }
            }
        }
    }

    private void watch(WorkerProcess worker, long watchdog, long now) {
        if (now - worker.lastHealthyMs > watchdog) {
            log.event("watchdog-timeout", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(),
                      "silent-ms", now - worker.lastHealthyMs, "watchdog-ms", watchdog,
                      "action", "SIGQUIT for a thread dump, then SIGKILL");
            // a SIGSTOPped JVM prints its dump only once continued
            Processes.signal(worker.pid(), Signal.QUIT);
            Processes.signal(worker.pid(), Signal.CONT);
            worker.imposed = ExitCause.Kind.WATCHDOG;
            worker.state = WorkerProcess.State.STOPPING;
            worker.killAtMs = now + Math.min(DUMP_GRACE_MS, watchdog);
            return;
        }
        if (!worker.probeInFlight && now - worker.lastProbeMs >= watchdog / 2) {
            worker.probeInFlight = true;
            worker.lastProbeMs = now;
            WatchdogProbe.start(worker.id, worker.adminPort, Duration.ofMillis(watchdog), this::enqueue);
        }
    }

    private long nextDeadline(long now) {
        long next = now + IDLE_TURN_MS;
        if (stopping) {
            for (WorkerProcess worker : workers.values()) {
                next = Math.min(next, worker.killAtMs);
            }
            return next;
        }
        SupervisorConfig sup = config.supervisor();
        long watchdog = sup.watchdog().toMillis();
        for (Slot slot : slots.values()) {
            if (slot.empty()) {
                next = Math.min(next, slot.startAtMs);
            }
        }
        for (WorkerProcess worker : workers.values()) {
            switch (worker.state) {
                case STARTING -> next = Math.min(next, worker.startedAtMs + sup.timeoutStart().toMillis());
                case READY -> {
                    if (watchdog > 0) {
                        next = Math.min(next, Math.min(worker.lastHealthyMs + watchdog + 1,
                                                       worker.lastProbeMs + watchdog / 2));
                    }
                }
                case STOPPING -> next = Math.min(next, worker.killAtMs);
            }
        }
        return next;
    }

    // ---- reconcile ----------------------------------------------------------------------------

    private void reconcile(long now) {
        for (Slot slot : slots.values()) {
            if (slot.empty() && slot.startAtMs <= now) {
                WorkerProcess spare = idleSpares.pollFirst();
                slot.current = spare != null ? bind(spare, slot, now)
                        : spawn(slot, slot.restarts == 0 ? "start" : "restart", now);
            }
        }
        long spares = workers.values().stream().filter(WorkerProcess::spare).count();
        for (long i = spares; i < config.supervisor().spare() && now >= nextSpareAtMs; i++) {
            spawnSpare(now);
        }
        boolean replacing = slots.values().stream().anyMatch(slot -> slot.successor != null);
        while (!replacing && !rolling.isEmpty()) {
            Slot slot = slots.get(rolling.poll());
            if (slot != null && slot.current != null && slot.current.ready()) {
                slot.successor = spawn(slot, "replace", now);
                replacing = slot.successor != null;
            }
        }
    }

    /** A warm spare takes the slot: it adopts the lent socket and reports READY within milliseconds. */
    private WorkerProcess bind(WorkerProcess spare, Slot slot, long now) {
        if (!notify.send(spare.id, "BIND SLOT=" + slot.index)) {
            log.event("spare-lost", "worker", spare.id, "pid", spare.pid());
            stopWorker(spare, "spare-lost", now);
            return spawn(slot, "restart", now);
        }
        spare.slot = slot.index;
        spare.state = WorkerProcess.State.STARTING;
        spare.startedAt = Instant.now();
        spare.startedAtMs = now;
        log.event("spare-bind", "slot", slot.index, "worker", spare.id, "pid", spare.pid());
        return spare;
    }

    private void spawnSpare(long now) {
        WorkerProcess spare = launch(0, true, now);
        if (spare == null) {
            nextSpareAtMs = now + config.supervisor().restartSec().toMillis();
            return;
        }
        log.event("spare-spawn", "worker", spare.id, "pid", spare.pid());
    }

    private WorkerProcess spawn(Slot slot, String reason, long now) {
        WorkerProcess worker = launch(slot.index, false, now);
        if (worker == null) {
            slot.failures++;
            slot.startAtMs = now + Backoff.delay(config.supervisor().restartSec(),
                    config.supervisor().restartMaxDelay(), config.supervisor().restartSteps(), slot.failures).toMillis();
            giveUpOnStartLimit(new ExitCause(ExitCause.Kind.EXIT_CODE, -1, "spawn-failed"), false, now);
            return null;
        }
        log.event("worker-spawn", "slot", slot.index, "worker", worker.id, "pid", worker.pid(), "reason", reason);
        return worker;
    }

    /** Starts a worker JVM for {@code slotIndex} (0 for a spare); null, logged, if it cannot be started. */
    private WorkerProcess launch(int slotIndex, boolean spare, long now) {
        long id = nextWorkerId++;
        long jitter = config.worker().maxRequestsJitter();
        long maxRequests = config.worker().maxRequests() == 0 ? 0
                : config.worker().maxRequests() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
        WorkerSettings settings = new WorkerSettings(instance, id, slotIndex, version, pid, config.server(),
                config.chaos(), config.supervisor().timeoutStop(), maxRequests, Optional.of(notify.path()),
                spare, Optional.of(lender.path()), listener.inode());
        try {
            Process process = launcher.launch(settings, config.worker().jvmOptions());
            workerPids.add(process.pid(), id);
            WorkerProcess worker = new WorkerProcess(id, slotIndex, process, config, Instant.now(), now);
            workers.put(id, worker);
            return worker;
        } catch (IOException e) {
            log.event("spawn-failed", "slot", slotIndex, "worker", id, "error", e.getMessage());
            return null;
        }
    }

    // ---- stopping -----------------------------------------------------------------------------

    private void beginStop(int code, long now) {
        if (stopping) {
            return;
        }
        stopping = true;
        exitCode = code;
        rolling.clear();
        log.event("supervisor-stop", "workers", workers.size(),
                  "timeout-stop-ms", config.supervisor().timeoutStop().toMillis(), "exit", code);
        for (WorkerProcess worker : workers.values()) {
            stopWorker(worker, "shutdown", now);
        }
    }

    /** Graceful stop: SIGTERM now, SIGKILL after timeout-stop-sec. */
    private void stopWorker(WorkerProcess worker, String reason, long now) {
        if (worker.state == WorkerProcess.State.STOPPING) {
            return;
        }
        worker.state = WorkerProcess.State.STOPPING;
        if (worker.imposed == null) {
            worker.imposed = ExitCause.Kind.REQUESTED;
        }
        worker.killAtMs = now + config.supervisor().timeoutStop().toMillis();
        log.event("worker-stop", "slot", worker.slot, "worker", worker.id, "pid", worker.pid(), "reason", reason);
        // through the handle: Process.destroy() would also close our end of the worker's output
        // pipes, losing what it logs while it drains
        worker.process.toHandle().destroy();
    }

    // ---- status -------------------------------------------------------------------------------

    private void publish(long now) {
        List<PoolSnapshot.SlotView> views = new ArrayList<>();
        for (Slot slot : slots.values()) {
            views.add(view(slot, slot.current));
            if (slot.successor != null) {
                views.add(view(slot, slot.successor));
            }
        }
        for (WorkerProcess spare : workers.values().stream().filter(WorkerProcess::spare).toList()) {
            views.add(new PoolSnapshot.SlotView(0, spare.id, spare.pid(),
                    spare.state == WorkerProcess.State.SPARE ? "spare" : "spare-starting", 0, "", spare.startedAt, -1));
        }
        snapshot.set(new PoolSnapshot(instance, version, pid, startedAt, config.source(), count.logFields(),
                                      count.workers(), config.supervisor().minReady(), stopping, List.copyOf(views),
                                      Map.copyOf(restartsByCause), System.nanoTime(),
                                      log.writer().droppedTotal() + workerErrors.droppedTotal()));
    }

    private static PoolSnapshot.SlotView view(Slot slot, WorkerProcess worker) {
        String lastExit = slot.lastExit == null ? "" : slot.lastExit.detail();
        if (worker == null) {
            return new PoolSnapshot.SlotView(slot.index, -1, -1, "waiting", slot.restarts, lastExit, null, -1);
        }
        return new PoolSnapshot.SlotView(slot.index, worker.id, worker.pid(), worker.state.name().toLowerCase(),
                                         slot.restarts, lastExit, worker.startedAt, worker.adminPort);
    }

    /** Pids the JDK started (workers); everything else re-parented to us is an orphan to reap. */
    private Set<Long> jdkChildren() {
        Set<Long> pids = new HashSet<>();
        workers.values().forEach(worker -> pids.add(worker.pid()));
        return pids;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }
}
