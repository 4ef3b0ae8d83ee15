package io.revenant.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.revenant.stack.WorkerReply;

/**
 * Kept-alive load as wrk makes it, and as a client that <em>never retries</em>: {@code connections}
 * threads, each holding one TCP connection and sending {@code GET path} on it, one request after
 * the other. A request that fails in any way is counted by kind and never sent again; the thread
 * then opens a new connection and goes on. A response saying {@code Connection: close} is
 * honoured (the connection is closed and a new one opened for the next request): that is the
 * server ending the connection without a race, not an error.
 *
 * <p>Unlike {@link KeepAliveLoad} (the JDK client, which silently sends a GET again when a pooled
 * connection turns out closed) nothing here hides a failure. Kinds: {@code connect} (refused or
 * failed), {@code write}, {@code read} (reset or closed before a full response), {@code timeout},
 * {@code status-N}, {@code not-the-app}.
 */
public final class WrkLoad implements AutoCloseable {

    /** Totals of a run. */
    public record Report(long requests, long failures, Map<String, Long> failuresByKind, Set<String> instances,
                         long connections, Duration elapsed) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "requests=%d failures=%d kinds=%s connections-opened=%d instances=%d"
                                 + " rate=%.0f/s", requests, failures, failuresByKind, connections, instances.size(),
                                 requests / Math.max(0.001, elapsed.toMillis() / 1000.0));
        }
    }

    private final String host;
    private final int port;
    private final byte[] request;
    private final int timeoutMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final Map<String, Long> kinds = new ConcurrentHashMap<>();
    private final Set<String> instances = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final long started = System.nanoTime();
    private final long deadline;
    private volatile long stopped;

    /** @param limit hard bound on the run, even if nobody calls {@link #stop()} */
    public WrkLoad(String host, int port, String path, int connections, Duration timeout, Duration limit) {
        this.host = host;
        this.port = port;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + Http.ACCEPT_JSON + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        this.timeoutMillis = (int) timeout.toMillis();
        this.deadline = started + limit.toNanos();
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofPlatform().daemon().name("wrk-load-" + i).start(this::loop));
        }
    }

    private boolean going() {
        return running.get() && System.nanoTime() < deadline;
    }

    private void loop() {
        while (going()) {
            Socket socket = new Socket();
            try {
                try {
                    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
                    socket.setSoTimeout(timeoutMillis);
                    socket.setTcpNoDelay(true);
                } catch (IOException e) {
                    fail(e instanceof SocketTimeoutException ? "timeout" : "connect");
                    continue;
                }
                opened.incrementAndGet();
                serve(socket);
            } finally {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing is all that was left
                }
            }
        }
    }

    /** Requests on one connection until it fails, the server closes it, or the load stops. */
    private void serve(Socket socket) {
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (going()) {
                try {
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    fail("write");
                    return;
                }
                boolean keep;
                try {
                    keep = answer(in);
                } catch (SocketTimeoutException e) {
                    fail("timeout");
                    return;
                } catch (IOException e) {
                    fail("read");
                    return;
                }
                if (!keep) {
                    return;
                }
            }
        } catch (IOException e) {
            fail("connect");
        }
    }

    /** Reads one response; counts it. @return whether the connection may be used again */
    private boolean answer(InputStream in) throws IOException {
        RawHttp.Response response = RawHttp.read(in);
        if (response.contentLength().isEmpty()) {
            throw new IOException("no Content-Length");
        }
        requests.incrementAndGet();
        if (response.status() != 200) {
            count("status-" + response.status());
        } else {
            var reply = WorkerReply.parse(response.body());
            if (reply.isEmpty()) {
                count("not-the-app");
            } else {
                instances.add(reply.get().instance());
            }
        }
        return !response.closes();
    }

    /** A request that got no full response. */
    private void fail(String kind) {
        requests.incrementAndGet();
        count(kind);
    }

    private void count(String kind) {
        failures.incrementAndGet();
        kinds.merge(kind, 1L, Long::sum);
    }

    public long requests() {
        return requests.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Instance ids that answered so far. */
    public Set<String> instances() {
        return Set.copyOf(instances);
    }

    /** Stops sending, waits for the requests in flight, and returns the totals. */
    public Report stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(timeoutMillis + 5000L);
        }
        if (stopped == 0) {
            stopped = System.nanoTime();
        }
        return new Report(requests.get(), failures.get(), new TreeMap<>(kinds), Set.copyOf(instances), opened.get(),
                          Duration.ofNanos(stopped - started));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
