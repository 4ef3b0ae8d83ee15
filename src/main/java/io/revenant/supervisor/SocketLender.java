package io.revenant.supervisor;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.ListenSocket;
import io.revenant.net.NativeCallException;

/**
 * Lends the public listening socket to workers: a Unix socket in the supervisor's private
 * runtime directory where each connecting worker receives a copy of the descriptor
 * (SCM_RIGHTS). Only a process this supervisor started gets one: the kernel's SO_PEERCRED pid
 * must be a worker pid the loop registered, so a same-uid process that found the path gets
 * nothing. The supervisor's own copy stays open, so no worker's exit ever closes the socket.
 */
final class SocketLender implements AutoCloseable {

    /** How long a connecting pid may wait to be registered: the loop adds it right after fork. */
    private static final long REGISTRATION_GRACE_MS = 500;

    private final Path path;
    private final int serverFd;
    private final ListenSocket socket;
    private final Set<Long> workerPids = ConcurrentHashMap.newKeySet();
    private final EventLog log;
    private volatile boolean open = true;

    private SocketLender(Path path, int serverFd, ListenSocket socket, EventLog log) {
        this.path = path;
        this.serverFd = serverFd;
        this.socket = socket;
        this.log = log;
    }

    static SocketLender start(Path directory, ListenSocket socket, EventLog log) {
        Path path = directory.resolve("listen.sock");
        SocketLender lender = new SocketLender(path, DescriptorPassing.listen(path), socket, log);
        Thread.ofPlatform().daemon().name("socket-lender").start(lender::serve);
        return lender;
    }

    String path() {
        return path.toString();
    }

    /** A worker the loop started; it may borrow the socket. */
    void allow(long pid) {
        workerPids.add(pid);
    }

    /** The worker has exited: its pid may be reused by a process that is not ours. */
    void forget(long pid) {
        workerPids.remove(pid);
    }

    private void serve() {
        while (open) {
            int connection;
            try {
                connection = DescriptorPassing.accept(serverFd);
            } catch (NativeCallException e) {
                if (open) {
                    log.event("socket-lender-failed", "error", e.getMessage(),
                              "message", "new workers cannot get the listening socket; running ones keep serving");
                }
                return;
            }
            try {
                lend(connection);
            } finally {
                Descriptors.closeQuietly(connection);
            }
        }
    }

    private void lend(int connection) {
        long pid;
        try {
            pid = DescriptorPassing.peerPid(connection);
        } catch (NativeCallException e) {
            return;
        }
        if (!registered(pid)) {
            log.event("socket-lend-refused", "pid", pid, "reason", "not a worker this supervisor started");
            return;
        }
        try {
            DescriptorPassing.send(connection, socket.fd());
        } catch (NativeCallException e) {
            log.event("socket-lend-failed", "pid", pid, "error", e.getMessage());
        }
    }

    private boolean registered(long pid) {
        long deadline = System.nanoTime() + REGISTRATION_GRACE_MS * 1_000_000;
        while (!workerPids.contains(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        open = false;
        DescriptorPassing.shutdown(serverFd);
        Descriptors.closeQuietly(serverFd);
    }
}
