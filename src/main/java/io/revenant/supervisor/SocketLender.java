package io.revenant.supervisor;

import java.nio.file.Path;

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

    private final Path path;
    private final UnixListener listener;
    private final ListenSocket socket;
    private final WorkerPids workers;
    private final EventLog log;

    private SocketLender(Path path, UnixListener listener, ListenSocket socket, WorkerPids workers, EventLog log) {
        this.workers = workers;
        this.path = path;
        this.listener = listener;
        this.socket = socket;
        this.log = log;
    }

    static SocketLender start(Path directory, ListenSocket socket, WorkerPids workers, EventLog log) {
        Path path = directory.resolve("listen.sock");
        SocketLender lender = new SocketLender(path, new UnixListener(DescriptorPassing.listen(path)), socket, workers, log);
        lender.listener.acceptOn("socket-lender", lender::serve, e -> log.event("socket-lender-failed", "error", e.getMessage(),
                "message", "new workers cannot get the listening socket; running ones keep serving"));
        return lender;
    }

    String path() {
        return path.toString();
    }

    /** One connection at a time, on the accepting thread: a lend is a few syscalls. */
    private void serve(int connection) {
        try {
            lend(connection);
        } finally {
            Descriptors.closeQuietly(connection);
        }
    }

    private void lend(int connection) {
        long pid;
        try {
            pid = DescriptorPassing.peerPid(connection);
        } catch (NativeCallException e) {
            return;
        }
        if (workers.await(pid).isEmpty()) {
            log.event("socket-lend-refused", "pid", pid, "reason", "not a worker this supervisor started");
            return;
        }
        try {
            DescriptorPassing.send(connection, socket.fd());
        } catch (NativeCallException e) {
            log.event("socket-lend-failed", "pid", pid, "error", e.getMessage());
        }
    }

    @Override
    public void close() {
        listener.close();
    }
}
