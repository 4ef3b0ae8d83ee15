package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.NativeCallException;
import io.revenant.protocol.Command;
import io.revenant.protocol.Notice;
import io.revenant.protocol.NotifyCodec;

/**
 * The supervisor's end of the notify protocol: a Unix stream socket in the private (0700) runtime
 * directory. Each worker connects once and writes one {@link Notice} per line; each line that
 * {@link NotifyCodec} accepts becomes an {@link Event.WorkerNotified}. The loop answers a worker on
 * its own connection ({@code BIND SLOT=n} to a hot spare).
 *
 * <p>Nothing another process writes here is trusted. A connection is kept only when the kernel's
 * SO_PEERCRED pid is a worker the loop started, and it speaks only for that worker: any other
 * same-uid process, or the application code of one worker, cannot mark a second worker READY,
 * recycle it, or take a spare's {@code BIND}. A line that is too long or malformed is logged
 * once and ends the connection.
 */
final class NotifySocket implements AutoCloseable {

    /** Connections waiting for that check at once; more are closed at once (a connection flood). */
    private static final int PENDING_CHECKS = 16;

    private final Path directory;
    private final Path path;
    private final UnixListener listener;
    private final Consumer<Event> events;
    private final EventLog log;
    private final WorkerPids workers;
    /** Each worker's connection (a descriptor), once its pid was checked. */
    private final Map<Long, Connection> connectionByWorker = new ConcurrentHashMap<>();
    private final Semaphore pending = new Semaphore(PENDING_CHECKS);

    private NotifySocket(Path directory, Path path, UnixListener listener, WorkerPids workers, Consumer<Event> events,
                         EventLog log) {
        this.workers = workers;
        this.directory = directory;
        this.path = path;
        this.listener = listener;
        this.events = events;
        this.log = log;
    }

    /** Listens in {@code directory}, which must be private to this user (0700). */
    static NotifySocket open(Path directory, WorkerPids workers, Consumer<Event> events, EventLog log) {
        Path path = directory.resolve("notify.sock");
        NotifySocket socket = new NotifySocket(directory, path, new UnixListener(DescriptorPassing.listen(path)),
                                               workers, events, log);
        socket.listener.acceptOn("notify-accept", socket::accept, e -> log.event("notify-socket-failed",
                "error", e.getMessage(), "message", "new workers cannot report READY; running ones keep serving"));
        return socket;
    }

    String path() {
        return path.toString();
    }

    /** The private (0700) runtime directory; the socket lender lives there too. */
    Path directory() {
        return directory;
    }

    /** The worker has exited: its connection, if still open, ends. */
    void disconnect(long worker) {
        Connection connection = connectionByWorker.remove(worker);
        if (connection != null) {
            connection.shutdown();
        }
    }

    /** On the accepting thread: a connection waits for its pid check on a thread of its own, a bounded number at once. */
    private void accept(int connection) {
        if (!pending.tryAcquire()) {
            log.event("notify-refused", "reason", "too many connections waiting for their check");
            Descriptors.closeQuietly(connection);
            return;
        }
        Thread.ofPlatform().daemon().name("notify-read").start(() -> serve(connection));
    }

    private void serve(int fd) {
        long pid = -1;
        OptionalLong known = OptionalLong.empty();
        try {
            pid = DescriptorPassing.peerPid(fd);
            known = listener.isOpen() ? workers.await(pid) : OptionalLong.empty();
        } catch (NativeCallException e) {
            // not a socket peer we can name: refused below
        } finally {
            pending.release();
        }
        if (known.isEmpty()) {
            log.event("notify-refused", "pid", pid, "reason", "not a worker this supervisor started");
            Descriptors.closeQuietly(fd);
            return;
        }
        long worker = known.getAsLong();
        Connection connection = new Connection(fd);
        if (connectionByWorker.putIfAbsent(worker, connection) != null) {
            log.event("notify-refused", "pid", pid, "worker", worker, "reason", "the worker is already connected");
            connection.close();
            return;
        }
        try {
            read(fd, worker, pid);
        } finally {
            connectionByWorker.remove(worker, connection);
            connection.close();
        }
    }

    private void read(int connection, long worker, long pid) {
        BoundedLineReader lines = new BoundedLineReader(new DescriptorStream(connection), NotifyCodec.MAX_BYTES);
        try {
            for (BoundedLineReader.Line line = lines.next(); line != null; line = lines.next()) {
                NotifyCodec.Decoded<Notice> decoded = line.overflowed()
                        ? NotifyCodec.tooLong()
                        : NotifyCodec.decode(line.bytes(), worker, pid);
                switch (decoded) {
                    case NotifyCodec.Decoded.Accepted<Notice> accepted ->
                            events.accept(new Event.WorkerNotified(worker, accepted.message()));
                    case NotifyCodec.Decoded.Rejected<Notice> rejected -> {
                        log.event("notify-rejected", "worker", worker, "pid", pid, "reason", rejected.problem(),
                                  "message", "line ignored and connection closed");
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the worker exited; its exit arrives through onExit()
        }
    }

    /** Sends one command to a worker on its own connection; false if it has none (gone, or not yet connected). */
    boolean send(long worker, Command command) {
        Connection connection = connectionByWorker.get(worker);
        return connection != null
                && connection.send((NotifyCodec.encode(command) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        listener.close();
        connectionByWorker.values().forEach(Connection::shutdown);
        Files.deleteIfExists(path);
        Files.deleteIfExists(directory.resolve("listen.sock"));
        // the rest: the lock, and the JNA library the supervisor unpacked there for its workers
        if (Files.exists(directory)) {
            RuntimeDirectories.deleteTree(directory);
        }
    }

    /**
     * One worker's connection. Its reader closes it, the loop may shut it down or write to it
     * from another thread: the lock keeps a descriptor number from being used after its close,
     * when the kernel may already have given it to another file.
     */
    private static final class Connection {

        private final int fd;
        private boolean closed;

        Connection(int fd) {
            this.fd = fd;
        }

        synchronized boolean send(byte[] bytes) {
            if (closed) {
                return false;
            }
            try {
                Descriptors.sendAll(fd, bytes);
                return true;
            } catch (NativeCallException e) {
                return false;
            }
        }

        /** Wakes the reader, which then closes. */
        synchronized void shutdown() {
            if (!closed) {
                DescriptorPassing.shutdown(fd);
            }
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                Descriptors.closeQuietly(fd);
            }
        }
    }

    /** A connected descriptor as a stream, for the line reader. */
    private static final class DescriptorStream extends InputStream {

        private final int fd;

        DescriptorStream(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (offset != 0) {
                throw new IllegalArgumentException("reads into the start of the buffer only");
            }
            try {
                int count = Descriptors.read(fd, buffer, length);
                return count == 0 ? -1 : count;
            } catch (NativeCallException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
