package io.revenant.supervisor;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

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

    ProcessSpawner(WorkerLauncher launcher, SupervisorIdentity identity, NotifySocket notify, SocketLender lender,
                   ListenSocket listener, WorkerPids workerPids) {
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
        Process process = launcher.launch(settings, config.worker().jvmOptions());
        workerPids.add(process.pid(), id);
        return new Started(id, process);
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
