package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.config.WorkerCount;
import io.revenant.net.ListenSocket;
import io.revenant.net.NativeDispatch;

/**
 * The supervisor as a process: its one event queue and the loop that drains it, the real
 * plumbing (runtime directory, notify socket, socket lender, worker JVMs, watchdog probes,
 * orphan reaping), and the snapshot the admin listener reads. Everything else only enqueues.
 */
final class SupervisorLoop {

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicReference<PoolSnapshot> snapshot = new AtomicReference<>();
    private final RevenantConfig config;
    private final Path configPath;
    private final SupervisorIdentity identity;
    private final int cpus;
    private final int hostCpus;
    private final ListenSocket listener;
    private final EventLog log;
    private final LogWriter workerErrors;
    private volatile Upgrade upgrade;
    /** Loop-thread only: when the last orphan scan ran. */
    private long lastReapMs = Long.MIN_VALUE / 2;

    SupervisorLoop(RevenantConfig config, Path configPath, SupervisorIdentity identity, int cpus, int hostCpus,
                   ListenSocket listener, EventLog log, LogWriter workerErrors) {
        this.config = config;
        this.configPath = configPath;
        this.identity = identity;
        this.cpus = cpus;
        this.hostCpus = hostCpus;
        this.listener = listener;
        this.log = log;
        this.workerErrors = workerErrors;
    }

    /** Where signal handlers, the admin API and watchers drop their events. */
    void enqueue(Event event) {
        events.add(event);
    }

    /** What SIGUSR2 starts; none before it is set. */
    void upgradeWith(Upgrade upgrade) {
        this.upgrade = upgrade;
    }

    AtomicReference<PoolSnapshot> snapshot() {
        return snapshot;
    }

    WorkerCount workerCount() {
        return workerCount(config);
    }

    WorkerCount workerCount(RevenantConfig config) {
        return WorkerCount.resolve(cpus, hostCpus, config.supervisor());
    }

    /**
     * Runs until stopped; returns the process exit code. Call on a thread that lives as long:
     * the kernel's parent-death signal that workers arm fires when the thread that forked them ends.
     */
    int run() throws IOException, InterruptedException {
        WorkerPids workerPids = new WorkerPids();
        try (NotifySocket notify = NotifySocket.open(RuntimeDirectories.create(), workerPids, this::enqueue, log);
             SocketLender lender = SocketLender.start(notify.directory(), listener, workerPids, log)) {
            WorkerSpawner spawner = new ProcessSpawner(new WorkerLauncher(this::enqueue, log.writer(), workerErrors,
                                                                          nativeDispatch(notify.directory())),
                                                       identity, notify, lender, listener, workerPids,
                                                       c -> workerCount(c).workers() + c.supervisor().spare());
            Supervisor supervisor = new Supervisor(config, () -> ConfigLoader.loadForReload(configPath), cpus, hostCpus,
                    spawner, (worker, port, timeout) -> WatchdogProbe.start(worker, port, timeout, this::enqueue),
                    SupervisorLoop::monotonicMillis, log);
            publish(supervisor);
            while (true) {
                long now = supervisor.now();
                Event event = events.poll(Math.max(1, supervisor.nextDeadline(now) - now), TimeUnit.MILLISECONDS);
                supervisor.beginTurn(supervisor.now());
                while (event != null) {
                    if (event instanceof Event.SignalReceived(String name) && name.equals("USR2") && upgrade != null) {
                        upgrade.start(supervisor.stopping());
                    }
                    supervisor.handle(event, supervisor.now());
                    event = events.poll();
                }
                OptionalInt exit = supervisor.tick(supervisor.now());
                if (exit.isPresent()) {
                    log.event("supervisor-exit", "code", exit.getAsInt());
                    return exit.getAsInt();
                }
                // the scan reads /proc/<pid>/stat of every process it can see (~2 ms of CPU with
                // 130 processes): once per idle turn, not on every turn, so that it seldom runs on
                // the heels of an exit while a spare takes the slot; an orphan waits a second or two
                long reapNow = supervisor.now();
                if (reapNow - lastReapMs >= Deadlines.IDLE_TURN_MS) {
                    lastReapMs = reapNow;
                    Set<Long> jdkStarted = pids(supervisor);
                    if (upgrade != null) {
                        upgrade.successorPid().ifPresent(jdkStarted::add);
                    }
                    OrphanReaper.reap(jdkStarted, log);
                }
                publish(supervisor);
            }
        }
    }

    private void publish(Supervisor supervisor) {
        List<PoolSnapshot.SlotView> views = new ArrayList<>();
        for (Slot slot : supervisor.slots()) {
            views.add(view(slot, slot.current));
            if (slot.successor != null) {
                views.add(view(slot, slot.successor));
            }
        }
        for (WorkerProcess spare : supervisor.workers().stream().filter(WorkerProcess::spare).toList()) {
            views.add(new PoolSnapshot.SlotView(0, spare.id, spare.pid(),
                    spare.state() == WorkerProcess.State.SPARE ? "spare" : "spare-starting", 0, "", spare.startedAt, -1));
        }
        RevenantConfig running = supervisor.config();
        WorkerCount count = supervisor.workerCount();
        snapshot.set(new PoolSnapshot(identity.instance(), identity.version(), identity.pid(), identity.startedAt(),
                running.source(), count.logFields(), count.workers(), running.supervisor().minReady(),
                supervisor.stopping(), List.copyOf(views), Map.copyOf(supervisor.restartsByCause()), System.nanoTime(),
                log.writer().droppedTotal() + workerErrors.droppedTotal()));
    }

    private static PoolSnapshot.SlotView view(Slot slot, WorkerProcess worker) {
        String lastExit = slot.lastExit == null ? "" : slot.lastExit.detail();
        if (worker == null) {
            return new PoolSnapshot.SlotView(slot.index, -1, -1, "waiting", slot.restarts, lastExit, null, -1);
        }
        return new PoolSnapshot.SlotView(slot.index, worker.id, worker.pid(), worker.state().name().toLowerCase(),
                                         slot.restarts, lastExit, worker.startedAt, worker.adminPort);
    }

    /** Pids the JDK started (workers); everything else re-parented to us is an orphan to reap. */
    private static Set<Long> pids(Supervisor supervisor) {
        Set<Long> pids = new HashSet<>();
        supervisor.workers().forEach(worker -> pids.add(worker.pid()));
        return pids;
    }

    /**
     * JNA's native library, unpacked once into the private runtime directory so that no worker
     * start spends its CPU inflating it again. Without it workers still start, as they did before.
     */
    private Optional<Path> nativeDispatch(Path runtimeDirectory) {
        try {
            return NativeDispatch.unpackInto(runtimeDirectory.resolve("jna"));
        } catch (IOException e) {
            log.event("warning", "key", "jna", "message", "cannot unpack JNA's native library for the workers ("
                      + e.getMessage() + "); each worker unpacks its own");
            return Optional.empty();
        }
    }

    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
