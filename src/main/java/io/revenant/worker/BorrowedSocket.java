package io.revenant.worker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.ListenSocket;
import io.revenant.net.ListeningSockets;
import io.revenant.net.NativeCallException;
import io.revenant.protocol.WorkerExit;
import io.revenant.protocol.WorkerSettings;

/**
 * The public listening socket, lent by the supervisor over its Unix socket (SCM_RIGHTS). The
 * worker never opens a public socket of its own: the supervisor's outlives every worker, so a
 * worker's death leaves the connections queued on it for the next worker to accept.
 *
 * <p>Helidon 4.5 opens its own listening channel, so {@link #adopt} swaps the descriptors under
 * it: dup2(2) puts the lent socket on the number of Helidon's placeholder, then one connection to
 * the placeholder wakes the accept(2) that was blocked on the old socket; Helidon's next accept
 * is on the lent one. Helidon closing its descriptor later (stop) closes only this process's
 * copy. The alternative, a JDK SelectorProvider whose channel adopts the socket, needs the JDK's
 * unexported sun.nio.ch classes and a channel wrapper whose bind lies to Helidon.
 */
final class BorrowedSocket {

    private static final int RECEIVE_TIMEOUT_MS = 5000;
    private static final long WAKE_DEADLINE_MS = 2000;
    private static final long PROOF_PAUSE_NANOS = 200_000;

    /** The socket could not be borrowed or is not the supervisor's listener; exit with {@link #exitCode}. */
    static final class Refused extends Exception {

        private final int exitCode;

        Refused(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    private final int fd;
    private final long inode;
    private final int port;
    private int placeholderPort = -1;
    private int helidonFd = -1;
    /** Opened by {@link #prepare}, so that the takeover's first connect is a single call. */
    private SocketChannel wake;
    private InetSocketAddress placeholder;
    /** How long the dup2 and the wake-up of Helidon's accept took, for the READY message. */
    private long swapMicros;
    private long wakeMicros;

    private BorrowedSocket(int fd, long inode, int port) {
        this.fd = fd;
        this.inode = inode;
        this.port = port;
    }

    /**
     * Receives the socket and checks it is the supervisor's public listener: the inode the
     * supervisor named, listening, SO_REUSEPORT on, bound to the configured port.
     */
    static BorrowedSocket borrow(WorkerSettings settings) throws Refused {
        Optional<String> lender = settings.socketLender();
        if (lender.isEmpty()) {
            throw new Refused(WorkerExit.NO_SOCKET, "REVENANT_SOCKET_LENDER is not set: a worker serves only the"
                              + " listening socket its supervisor lends it, and is started by the supervisor");
        }
        int[] fds;
        try {
            fds = DescriptorPassing.receive(Path.of(lender.get()), RECEIVE_TIMEOUT_MS);
        } catch (NativeCallException e) {
            throw new Refused(WorkerExit.NO_SOCKET, "no listening socket from the supervisor (" + e.getMessage() + ")");
        }
        if (fds.length != 1) {
            for (int extra : fds) {
                Descriptors.closeQuietly(extra);
            }
            throw new Refused(WorkerExit.NO_SOCKET, "the supervisor lent " + fds.length + " descriptors, expected 1"
                              + " (a refusal: this process is not a worker it started)");
        }
        int fd = fds[0];
        try {
            check(fd, settings.socketInode(), settings.server().port());
        } catch (Refused e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        return new BorrowedSocket(fd, settings.socketInode(), settings.server().port());
    }

    private static void check(int fd, long expectedInode, int expectedPort) throws Refused {
        long inode;
        try {
            inode = Descriptors.socketInode(fd);
        } catch (NativeCallException e) {
            throw new Refused(WorkerExit.NO_SOCKET, "the lent descriptor " + fd + " is not a socket (" + e.getMessage() + ")");
        }
        if (inode != expectedInode) {
            throw new Refused(WorkerExit.NO_SOCKET, "the lent socket is socket:[" + inode + "], not the supervisor's"
                              + " listener socket:[" + expectedInode + "]");
        }
        Optional<ListeningSockets.Mismatch> mismatch = ListeningSockets.mismatch(fd, expectedPort);
        if (mismatch.isPresent() && mismatch.get().noReusePort()) {
            throw new Refused(WorkerExit.NO_REUSEPORT, "the lent socket:[" + inode + "] " + mismatch.get().reason()
                              + "; a second supervisor could not join port " + expectedPort);
        }
        if (mismatch.isPresent()) {
            throw new Refused(WorkerExit.NO_SOCKET, "the lent socket:[" + inode + "] " + mismatch.get().reason());
        }
    }

    /**
     * Finds Helidon's listening descriptor on {@code placeholderPort} and runs every native call
     * of the swap once on harmless arguments, so that {@link #adopt} (a spare's takeover) runs
     * warm: JNA binds each libc function on its first call, which costs milliseconds.
     */
    void prepare(int placeholderPort) throws Refused {
        List<ListeningSockets.Listener> placeholders = ListeningSockets.onPort(placeholderPort);
        if (placeholders.size() != 1) {
            throw new Refused(WorkerExit.NO_SOCKET, "expected one Helidon listener on placeholder port "
                              + placeholderPort + ", found " + placeholders);
        }
        this.placeholderPort = placeholderPort;
        this.helidonFd = placeholders.getFirst().fd();
        this.placeholder = new InetSocketAddress("127.0.0.1", placeholderPort);
        try {
            this.wake = SocketChannel.open();
        } catch (IOException e) {
            throw new Refused(WorkerExit.NO_SOCKET, "cannot open a socket to wake Helidon's accept: " + e.getMessage());
        }
        Descriptors.duplicateOnto(fd, fd);
        Descriptors.closeQuietly(-1);
        check(fd, inode, port);
    }

    /**
     * Makes Helidon's listener accept on the lent socket instead of its placeholder, and proves
     * it: Helidon's descriptor now is the lent socket, and the placeholder is closed.
     */
    void adopt() throws Refused {
        if (helidonFd < 0) {
            throw new IllegalStateException("prepare() first");
        }
        long start = System.nanoTime();
        Descriptors.duplicateOnto(fd, helidonFd);
        Descriptors.closeQuietly(fd);
        long swapped = System.nanoTime();
        wakeAcceptor();
        long woken = System.nanoTime();
        swapMicros = (swapped - start) / 1000;
        wakeMicros = (woken - swapped) / 1000;
        try {
            check(helidonFd, inode, port);
        } catch (Refused e) {
            throw new Refused(e.exitCode(), "after the swap, Helidon's descriptor " + helidonFd + ": " + e.getMessage());
        }
    }

    /**
     * Stops Helidon taking connections from the public socket before it stops: a fresh loopback
     * listener goes over Helidon's descriptor (the accept blocked on the public socket may still
     * take one connection, which is then served), and then connections already accepted get a
     * moment to be read. Helidon's stop interrupts a connection it accepted but has not read
     * yet, as if it were idle; those are the ones a client would see reset. The public socket
     * and its queue stay with the supervisor and the other workers.
     */
    void release(long quiesceMillis) {
        if (helidonFd < 0) {
            return;
        }
        try (ListenSocket quiet = ListenSocket.open("127.0.0.1", 0, 1)) {
            Descriptors.duplicateOnto(quiet.fd(), helidonFd);
        } catch (ListenSocket.BindFailure | NativeCallException e) {
            return;   // Helidon's own stop still closes its copy; only the quiesce is lost
        }
        try {
            Thread.sleep(quiesceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Connects to the placeholder until it refuses. The first connection, on the channel opened
     * in {@link #prepare}, wakes the accept blocked on the old socket, whose last reference then
     * goes; a refusal proves no thread waits on it any more. Between tries this thread parks
     * instead of spinning: on 2 cores a spin takes the CPU from the acceptor it waits for.
     */
    private void wakeAcceptor() throws Refused {
        try (SocketChannel first = wake) {
            first.connect(placeholder);
        } catch (IOException e) {
            // refused already, or a reset: the loop below decides
        }
        long deadline = System.nanoTime() + WAKE_DEADLINE_MS * 1_000_000;
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(PROOF_PAUSE_NANOS);
            try (Socket proof = new Socket()) {
                proof.connect(placeholder, 200);
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                // a timeout or reset: try again until the deadline
            }
        }
        throw new Refused(WorkerExit.NO_SOCKET, "Helidon's placeholder listener on port " + placeholderPort
                          + " still accepts " + WAKE_DEADLINE_MS + " ms after the swap");
    }

    long inode() {
        return inode;
    }

    /** How long the last {@link #adopt} took to swap the socket under Helidon, in microseconds. */
    long swapMicros() {
        return swapMicros;
    }

    /** How long the last {@link #adopt} took to wake Helidon's accept loop after the swap, in microseconds. */
    long wakeMicros() {
        return wakeMicros;
    }
}
