package io.revenant.supervisor;

import java.util.Optional;
import java.util.OptionalInt;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.ListenSocket;
import io.revenant.net.ListeningSockets;
import io.revenant.net.NativeCallException;

/**
 * The new side of a {@link Handover}: finds a supervisor already serving the port in this
 * network namespace, receives its listening socket, and later tells it to drain. Without a
 * predecessor the supervisor opens its socket itself, as on a first start.
 */
final class HandoverTaker implements AutoCloseable {

    /** How long the predecessor may take to send its socket, and to answer DRAIN. */
    private static final int ANSWER_MS = 10_000;

    /** The predecessor's socket could not be taken: the message says why; nothing was changed. */
    static final class Refused extends Exception {

        Refused(String message) {
            super(message);
        }
    }

    private final int connection;

    private HandoverTaker(int connection) {
        this.connection = connection;
    }

    /** A connection to the supervisor serving {@code port} here, or empty when there is none. */
    static Optional<HandoverTaker> find(int port) {
        OptionalInt fd = DescriptorPassing.connectAbstract(Handover.name(port), ANSWER_MS);
        return fd.isPresent() ? Optional.of(new HandoverTaker(fd.getAsInt())) : Optional.empty();
    }

    /** The predecessor's listening socket, checked as a worker checks the one it borrows. */
    ListenSocket receive(String host, int port) throws Refused {
        int[] fds;
        try {
            fds = DescriptorPassing.receive(connection);
        } catch (NativeCallException e) {
            throw new Refused("the serving supervisor sent no socket (" + e.getMessage() + ")");
        }
        if (fds.length != 1) {
            for (int fd : fds) {
                Descriptors.closeQuietly(fd);
            }
            throw new Refused("the serving supervisor sent " + fds.length + " descriptors, expected 1"
                              + " (a different uid, or not a Revenant supervisor)");
        }
        int fd = fds[0];
        Optional<ListeningSockets.Mismatch> mismatch = ListeningSockets.mismatch(fd, host, port);
        if (mismatch.isPresent()) {
            Descriptors.closeQuietly(fd);
            throw new Refused("the serving supervisor's socket does not fit server.host/server.port "
                              + host + ":" + port + ": it " + mismatch.get().reason());
        }
        return new ListenSocket(fd, Descriptors.socketInode(fd), host, port);
    }

    /**
     * Tells the predecessor to stop serving and waits until it has released its admin port.
     *
     * @return whether it answered; false if it went away or did not answer in time
     */
    boolean drain() {
        try {
            Handover.sendLine(connection, Handover.DRAIN);
            return Handover.DRAINING.equals(Handover.readLine(connection));
        } catch (NativeCallException e) {
            return false;
        }
    }

    /** Closing without {@link #drain()} leaves the predecessor serving, untouched. */
    @Override
    public void close() {
        Descriptors.closeQuietly(connection);
    }
}
