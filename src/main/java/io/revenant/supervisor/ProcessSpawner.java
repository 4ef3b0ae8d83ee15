package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;

import io.revenant.config.RevenantConfig;
import io.revenant.net.ListenSocket;
import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.protocol.Command;
import io.revenant.protocol.WorkerSettings;

/**
 * Starts worker JVMs for real: the settings a worker gets (identity, the notify socket, the
 * socket lender, the public socket's inode), registered so that only these pids may borrow the
 * socket and notify.
 */
final class ProcessSpawner implements WorkerSpawner {

    private final WorkerLauncher launcher;
    private final SupervisorIdentity identity;
    private final NotifySocket notify;
    private final SocketLender lender;
    private final ListenSocket listener;
    private final WorkerPids workerPids;
    private final WorkerHeap.Memory memory = WorkerHeap.memory();
    /** Worker JVMs a config runs (workers + spares): what worker.heap: auto divides the memory by. */
    private final ToIntFunction<RevenantConfig> jvms;

    ProcessSpawner(WorkerLauncher launcher, SupervisorIdentity identity, NotifySocket notify, SocketLender lender,
                   ListenSocket listener, WorkerPids workerPids, ToIntFunction<RevenantConfig> jvms) {
        this.jvms = jvms;
        this.launcher = launcher;
        this.identity = identity;
        this.notify = notify;
        this.lender = lender;
        this.listener = listener;
        this.workerPids = workerPids;
    }

    @Override
    public SpawnedWorker spawn(long id, int slot, boolean spare, RevenantConfig config) throws IOException {
        long jitter = config.worker().maxRequestsJitter();
        long maxRequests = config.worker().maxRequests() == 0 ? 0
                : config.worker().maxRequests() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
        WorkerSettings settings = new WorkerSettings(identity.instance(), id, slot, identity.version(), identity.pid(),
                config.server(), config.chaos(), config.supervisor().timeoutStop(), maxRequests,
                Optional.of(notify.path()), spare, Optional.of(lender.path()), listener.inode());
        Process process = launcher.launch(settings, jvmOptions(config, memory, jvms.applyAsInt(config)));
        workerPids.add(process.pid(), id);
        return new Started(id, process);
    }

    /** The configured options, without an unusable AOT cache (see AotCacheOption), with the heap of worker.heap. */
    static List<String> jvmOptions(RevenantConfig config, WorkerHeap.Memory memory, int jvms) {
        List<String> options = config.worker().jvmOptions();
        if (AotCacheOption.problem(options, Path.of("").toAbsolutePath(), AotCacheOption.runningJar()).isPresent()) {
            options = AotCacheOption.without(options);
        }
        return WorkerHeap.choose(options, config.worker().heapMib(), memory, jvms).options();
    }

    private final class Started implements SpawnedWorker {

        private final long id;
        private final Process process;

        Started(long id, Process process) {
            this.id = id;
            this.process = process;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public void terminate() {
            // through the handle: Process.destroy() would also close our end of the worker's
            // output pipes, losing what it logs while it drains
            process.toHandle().destroy();
        }

        @Override
        public void kill() {
            process.toHandle().destroyForcibly();
        }

        @Override
        public void dumpThreads() {
            Processes.signal(process.pid(), Signal.QUIT);
            Processes.signal(process.pid(), Signal.CONT);
        }

        @Override
        public long rssKib() {
            return ProcStatus.rssKib(process.pid());
        }

        @Override
        public void forget() {
            workerPids.remove(process.pid());
            notify.disconnect(id);
        }

        @Override
        public boolean bind(int slot) {
            return notify.send(id, new Command.Bind(slot));
        }
    }
}
