package io.revenant.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/**
 * One client connection: Helidon's HTTP/1.1 connection, plus the phase the timeouts need. A
 * connection is in its HEAD phase from its accept, and again from the first byte of each later
 * request, until routing starts; in its REQUEST phase while routing runs; AFTER it until the next
 * HEAD. Only the HEAD phase has a deadline, the header timeout. A slow handler has none.
 *
 * <p>AFTER the response, bytes may be the rest of a body Helidon drains, or a pipelined head
 * (bytes of the next request that arrived with the previous one, then more, slowly): the two look
 * alike, so neither gets the header deadline. The idle timeout bounds both instead: Helidon's own
 * idle close only interrupts a connection waiting for a request line, and a head read slowly
 * after a pipelined start would be held forever, so here it closes the socket.
 *
 * <p>The connection's own thread moves it between phases (its {@link RequestStream} on arrivals,
 * {@link ConnectionRules} when routing starts); the deadline's thread only reads it and cuts it
 * off. Routing finds its connection through {@link #CURRENT}, bound for the connection's thread.
 */
final class ClientConnection implements ServerConnection, InterruptableTask<Void> {

    /** The connection whose request the current thread is routing. */
    static final ScopedValue<ClientConnection> CURRENT = ScopedValue.newInstance();

    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                                                   + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private enum Phase { HEAD, REQUEST, AFTER, CUT_OFF }

    private final ConnectionContext socket;
    private final HeaderDeadline deadline;
    /** Counts this connection while it lives; null on the admin listener, which no drain waits for. */
    private final Drain drain;
    private ServerConnection http1;
    private Phase phase = Phase.HEAD;
    /** System.nanoTime() when the current HEAD phase began. */
    private long headSince = System.nanoTime();

    ClientConnection(ConnectionContext socket, HeaderDeadline deadline, Drain drain) {
        this.socket = socket;
        this.deadline = deadline;
        this.drain = drain;
    }

    /** The Helidon connection this one guards; set once, before {@link #handle}. */
    void serve(ServerConnection http1) {
        this.http1 = http1;
    }

    static Optional<ClientConnection> current() {
        return CURRENT.isBound() ? Optional.of(CURRENT.get()) : Optional.empty();
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        if (drain != null) {
            drain.opened();
        }
        deadline.watch(this);
        try {
            ScopedValue.where(CURRENT, this).call(() -> {
                http1.handle(limit);
                return null;
            });
        } finally {
            deadline.forget(this);
            if (drain != null) {
                drain.closed();
            }
        }
    }

    /** Bytes arrived: while Helidon waits for a request line, they open a HEAD phase. */
    synchronized void arrived() {
        if (phase == Phase.AFTER && readingRequestLine()) {
            phase = Phase.HEAD;
            headSince = System.nanoTime();
        }
    }

    /** The head is complete: routing starts. */
    synchronized void headRead() {
        if (phase == Phase.HEAD) {
            phase = Phase.REQUEST;
        }
    }

    /** Routing is over: the response is sent. */
    synchronized void responded() {
        if (phase == Phase.REQUEST) {
            phase = Phase.AFTER;
        }
    }

    /**
     * Called by the deadline's thread: when the HEAD phase is older than {@code timeout}, answers
     * 408 and closes the socket, which ends the read Helidon's thread is blocked in.
     *
     * @return whether it cut the connection off
     */
    boolean cutOffIfLate(long nowNanos, Duration timeout) {
        synchronized (this) {
            if (phase != Phase.HEAD || nowNanos - headSince < timeout.toNanos()) {
                return false;
            }
            phase = Phase.CUT_OFF;
        }
        try {
            socket.dataWriter().writeNow(BufferData.create(REQUEST_TIMEOUT));
        } catch (RuntimeException e) {
            // the client is gone already; closing is all that is left
        }
        socket.serverSocket().close();
        return true;
    }

    private boolean readingRequestLine() {
        return http1 instanceof InterruptableTask<?> task && task.canInterrupt();
    }

    /** Helidon interrupts only a connection that waits for a request line (on stop, on idle timeout). */
    @Override
    public boolean canInterrupt() {
        return readingRequestLine();
    }

    @Override
    public Duration idleTime() {
        return http1.idleTime();
    }

    /** Helidon's idle timeout (and its stop): see the class comment for the AFTER phase. */
    @Override
    public void close(boolean interrupt) {
        http1.close(interrupt);
        boolean stuckAfter;
        synchronized (this) {
            stuckAfter = phase == Phase.AFTER && !readingRequestLine();
        }
        if (stuckAfter) {
            socket.serverSocket().close();
        }
    }
}
