package io.revenant.supervisor;

import java.util.OptionalInt;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.ListenSocket;
import io.revenant.net.NativeCallException;

/**
 * The old side of a {@link Handover}: holds the port's abstract name, gives the listening socket
 * to a successor of the same uid, and on its {@code DRAIN} releases the name and the admin port
 * and stops as on TERM. One successor at a time, on this class's own thread.
 */
final class HandoverServer implements AutoCloseable {

    private final UnixListener listener;
    private final String name;
    private final ListenSocket socket;
    private final Runnable releaseAdmin;
    private final Runnable stop;
    private final EventLog log;
    private volatile boolean handedOver;

    private HandoverServer(UnixListener listener, String name, ListenSocket socket, Runnable releaseAdmin, Runnable stop,
                           EventLog log) {
        this.listener = listener;
        this.name = name;
        this.socket = socket;
        this.releaseAdmin = releaseAdmin;
        this.stop = stop;
        this.log = log;
    }

    /**
     * Takes the port's name, unless another process holds it (logged: then nobody can take over
     * from this supervisor).
     *
     * @param releaseAdmin closes the admin listener so that the successor can bind its port
     * @param stop         begins the graceful stop (TERM's)
     */
    static HandoverServer start(ListenSocket socket, Runnable releaseAdmin, Runnable stop, EventLog log) {
        String name = Handover.name(socket.port());
        OptionalInt fd = DescriptorPassing.listenAbstract(name);
        if (fd.isEmpty()) {
            log.event("handover-unavailable", "name", "@" + name,
                      "message", "another process holds the hand-over name; no successor can take over this supervisor");
            return null;
        }
        HandoverServer server = new HandoverServer(new UnixListener(fd.getAsInt()), name, socket, releaseAdmin, stop, log);
        server.listener.acceptOn("handover", server::serve,
                                 e -> log.event("handover-failed", "error", e.getMessage(), "message", "no successor can take over"));
        return server;
    }

    /** One successor at a time, on the accepting thread; a hand-over closes the listener, which ends the loop. */
    private void serve(int connection) {
        try {
            handOver(connection);
        } catch (NativeCallException e) {
            log.event("handover-abandoned", "error", e.getMessage(), "message", "this supervisor keeps serving");
        } finally {
            Descriptors.closeQuietly(connection);
        }
    }

    /** @return whether the successor took over (this supervisor is stopping) */
    private boolean handOver(int connection) {
        long pid = DescriptorPassing.peerPid(connection);
        int uid = DescriptorPassing.peerUid(connection);
        if (uid != DescriptorPassing.uid()) {
            log.event("handover-refused", "pid", pid, "uid", uid, "reason", "not this supervisor's uid");
            return false;
        }
        log.event("handover-start", "successor", pid, "socket", "socket:[" + socket.inode() + "]",
                  "message", "the successor starts its workers on this socket; this supervisor serves until it is ready");
        DescriptorPassing.send(connection, socket.fd());
        String line = Handover.readLine(connection);
        if (!Handover.DRAIN.equals(line)) {
            log.event("handover-abandoned", "successor", pid,
                      "message", "the successor went away before its workers were ready; this supervisor keeps serving");
            return false;
        }
        // the name and the admin port first: the successor binds both as soon as it reads DRAINING
        handedOver = true;
        close();
        releaseAdmin.run();
        log.event("handover-drain", "successor", pid,
                  "message", "the successor serves; this supervisor stops as on TERM, its workers finish their requests");
        stop.run();
        try {
            Handover.sendLine(connection, Handover.DRAINING);
        } catch (NativeCallException e) {
            // the successor went away after taking over: it is its own business now
        }
        return true;
    }

    /** Whether a successor took over: this supervisor is draining. */
    boolean handedOver() {
        return handedOver;
    }

    @Override
    public void close() {
        listener.close();
    }
}
