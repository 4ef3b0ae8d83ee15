package io.revenant.worker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.CloseConnectionException;

/**
 * The bytes of one client connection on their way from the socket to Helidon's HTTP/1.1 parser.
 * It reports each arrival (for the header deadline), turns a client's disconnect into a plain
 * connection close, and translates HTTP/1.0 request heads into HTTP/1.1 ones.
 *
 * <p>A client that disconnects in the middle of a head: Helidon 4.5 reports the end of its input
 * as an internal error, answers 500 to nobody and logs a WARNING with an 18-line stack trace; any
 * client could fill the supervisor's output pipe that way. Here the end of input is a
 * {@link CloseConnectionException}, which Helidon treats as the end of the connection (logged at
 * TRACE only).
 *
 * <p>HTTP/1.0: only a connection whose first request line is HTTP/1.0 is translated. Each of its
 * heads is held until complete, passed through {@link Http10Head}, and its body (a single
 * Content-Length) counted so that the next head is found. A connection not persistent after its
 * head, a body framed otherwise, or a head over {@link #HEAD_LIMIT} stops the translation: the
 * rest passes as sent and Helidon answers as it would (a request after a non-persistent one is
 * never read, the connection closes first). Every other connection passes through untouched.
 */
final class RequestStream implements Supplier<byte[]> {

    /** Longer than Helidon's request line (4 KiB) and header (16 KiB) limits together. */
    static final int HEAD_LIMIT = 24 * 1024;

    private enum Mode {
        /** Before the first request line is complete: not known yet whether to translate. */
        FIRST_LINE,
        /** Translating, before or inside a head. */
        HEAD,
        /** Translating, inside a body of {@link #bodyLeft} bytes. */
        BODY,
        /** Everything passes as it comes. */
        PASS
    }

    private final DataReader socket;
    private final Runnable onArrival;
    private final String authority;
    /** Bytes read but not yet handed on. */
    private byte[] pending = new byte[0];
    private Mode mode = Mode.FIRST_LINE;
    private long bodyLeft;

    /**
     * @param socket    Helidon's reader of the connection's socket
     * @param onArrival called on the connection's thread each time bytes arrive
     * @param authority host:port of the listener, for an HTTP/1.0 request without Host
     */
    RequestStream(DataReader socket, Runnable onArrival, String authority) {
        this.socket = socket;
        this.onArrival = onArrival;
        this.authority = authority;
    }

    @Override
    public byte[] get() {
        if (mode == Mode.PASS && pending.length == 0) {
            return read();
        }
        while (true) {
            byte[] out = next();
            if (out.length > 0) {
                return out;
            }
            pending = concat(pending, read());
        }
    }

    /** What can be handed on from {@link #pending} now; empty when more input is needed. */
    private byte[] next() {
        switch (mode) {
            case PASS -> {
                return take(pending.length);
            }
            case FIRST_LINE -> {
                int lf = indexOf(pending, (byte) '\n', 0);
                if (lf < 0 && pending.length <= HEAD_LIMIT) {
                    return new byte[0];
                }
                boolean http10 = lf >= 0
                        && Http10Head.isHttp10(new String(pending, 0, lf + 1, StandardCharsets.ISO_8859_1));
                mode = http10 ? Mode.HEAD : Mode.PASS;
                return next();
            }
            case HEAD -> {
                int end = headEnd(pending);
                if (end == 0) {
                    return new byte[0];   // no byte of the next head yet
                }
                if (end < 0) {
                    if (pending.length > HEAD_LIMIT || bareLineFeed(pending)) {
                        mode = Mode.PASS;
                        return next();
                    }
                    return new byte[0];
                }
                Http10Head head = Http10Head.of(take(end), authority);
                if (!head.persistent() || head.bodyLength().isEmpty()) {
                    mode = Mode.PASS;
                } else if (head.bodyLength().getAsLong() > 0) {
                    mode = Mode.BODY;
                    bodyLeft = head.bodyLength().getAsLong();
                }
                return head.bytes();
            }
            case BODY -> {
                int n = (int) Math.min(bodyLeft, pending.length);
                bodyLeft -= n;
                if (bodyLeft == 0) {
                    mode = Mode.HEAD;
                }
                return take(n);
            }
            default -> throw new IllegalStateException("mode " + mode);
        }
    }

    private byte[] read() {
        try {
            socket.ensureAvailable();
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw new CloseConnectionException("the client closed the connection");
        }
        byte[] bytes = socket.readBytes(socket.available());
        onArrival.run();
        return bytes;
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOf(pending, n);
        pending = Arrays.copyOfRange(pending, n, pending.length);
        return out;
    }

    /** Length of the head at the start of {@code bytes} through its CRLF CRLF, 0 when empty, -1 when incomplete. */
    private static int headEnd(byte[] bytes) {
        if (bytes.length == 0) {
            return 0;
        }
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** A LF without CR: Helidon rejects such a head, so it needs no translation, only to reach Helidon. */
    private static boolean bareLineFeed(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
