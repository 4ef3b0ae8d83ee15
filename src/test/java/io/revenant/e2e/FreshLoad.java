package io.revenant.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.revenant.stack.WorkerReply;

/**
 * Clients that open a <em>fresh TCP connection for every request</em>, as curl, {@code ab},
 * health checkers and many API clients do: connect, {@code GET} with {@code Connection: close},
 * read the whole answer, close. No pooled connection, no retry: a refused connect, a reset or an
 * answer cut short is counted as it happened, by kind.
 *
 * <p>{@code clients} platform threads, each sending one request after the other until
 * {@link #stop()} or its deadline. Used by the end-to-end tests (counts) and by {@code make bench}
 * (counts and latency percentiles), against Revenant and against the Node.js reference.
 */
public final class FreshLoad implements AutoCloseable {

    /** Kind of a refused connect: nothing accepted the SYN (no listening socket). */
    public static final String REFUSED = "refused";

    /** Who answered a Revenant {@code GET /} ({@code instance/worker}), from its JSON identity. */
    public static final Function<String, Optional<String>> REVENANT =
            body -> WorkerReply.parse(body).map(reply -> reply.instance() + "/" + reply.worker());

    /** Totals of a run; {@code latencyMicros} are of the answered requests, sorted. */
    public record Report(long requests, long answered, long refused, long failed, Map<String, Long> failuresByKind,
                         Set<String> answeredBy, Duration elapsed, long[] latencyMicros) {

        /** Answered requests per second. */
        public double goodput() {
            return answered / Math.max(0.001, elapsed.toNanos() / 1e9);
        }

        /** Percentile {@code p} (0-100) of the answered requests' latency in ms; NaN without any. */
        public double percentileMs(double p) {
            if (latencyMicros.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latencyMicros.length - 1, Math.ceil(p / 100 * latencyMicros.length) - 1);
            return latencyMicros[Math.max(0, index)] / 1000.0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "requests=%d answered=%d refused=%d failed=%d goodput=%.0f/s p50=%.2fms"
                                 + " p99=%.2fms max=%.0fms answered-by=%d failure-kinds=%s",
                                 requests, answered, refused, failed, goodput(), percentileMs(50), percentileMs(99),
                                 percentileMs(100), answeredBy.size(), failuresByKind);
        }
    }

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 15_000;

    private final String host;
    private final int port;
    private final byte[] request;
    private final Function<String, Optional<String>> identity;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> kinds = new ConcurrentHashMap<>();
    private final Set<String> answeredBy = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final List<long[]> latencies = new ArrayList<>();
    private final int[] counts;
    private final long started = System.nanoTime();
    private final long deadline;
    private volatile long stopped;

    /**
     * @param identity reads who answered from a 200's body; empty means the answer is not the app's
     * @param limit    hard bound on the run, even if nobody calls {@link #stop()}
     */
    public FreshLoad(String host, int port, String path, int clients, Duration limit,
                     Function<String, Optional<String>> identity) {
        this.host = host;
        this.port = port;
        this.identity = identity;
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                        + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.deadline = started + limit.toNanos();
        this.counts = new int[clients];
        for (int i = 0; i < clients; i++) {
            latencies.add(new long[1 << 14]);
        }
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().daemon().name("fresh-" + i).start(() -> loop(client)));
        }
    }

    private void loop(int client) {
        while (running.get() && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            String failure;
            try {
                String body = exchange();
                Optional<String> who = identity.apply(body);
                if (who.isPresent()) {
                    answeredBy.add(who.get());
                    failure = null;
                } else {
                    failure = "not-the-app";
                }
            } catch (Status e) {
                failure = "status-" + e.status;
            } catch (ConnectException e) {
                failure = e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("refused")
                        ? REFUSED : "connect-" + e.getMessage();
            } catch (SocketTimeoutException e) {
                failure = "timeout";
            } catch (SocketException e) {
                String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
                failure = message.contains("reset") ? "reset" : message.contains("broken pipe") ? "broken-pipe"
                        : "socket-" + e.getMessage();
            } catch (IOException e) {
                failure = e.getMessage() != null && e.getMessage().startsWith("closed") ? "closed-before-answer"
                        : e.getClass().getSimpleName();
            }
            long micros = (System.nanoTime() - t0) / 1000;
            requests.incrementAndGet();
            if (failure == null) {
                answered.incrementAndGet();
                record(client, micros);
            } else {
                failed.incrementAndGet();
                if (failure.equals(REFUSED)) {
                    refused.incrementAndGet();
                }
                kinds.merge(failure, 1L, Long::sum);
                if (failure.equals(REFUSED)) {
                    pause();   // as a client would before it tries again; keeps a refusal storm bounded
                }
            }
        }
    }

    private void record(int client, long micros) {
        long[] mine = latencies.get(client);
        if (counts[client] == mine.length) {
            mine = Arrays.copyOf(mine, mine.length * 2);
            latencies.set(client, mine);
        }
        mine[counts[client]++] = micros;
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Not a 200. */
    private static final class Status extends IOException {
        final int status;

        Status(int status) {
            super("status " + status);
            this.status = status;
        }
    }

    /** One request on a new connection; the body of a 200. */
    private String exchange() throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int filled = 0;
            int headEnd = -1;
            while (headEnd < 0) {
                if (filled == buffer.length) {
                    throw new IOException("answer head longer than " + buffer.length + " bytes");
                }
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    throw new IOException(filled == 0 ? "closed before any byte" : "closed in the answer's head");
                }
                filled += n;
                headEnd = headEnd(buffer, filled);
            }
            String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = contentLength(head);
            byte[] body = new byte[length];
            int have = Math.min(length, filled - headEnd - 4);
            System.arraycopy(buffer, headEnd + 4, body, 0, have);
            while (have < length) {
                int n = in.read(body, have, length - have);
                if (n < 0) {
                    throw new IOException("closed in the answer's body");
                }
                have += n;
            }
            if (status != 200) {
                throw new Status(status);
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static int headEnd(byte[] buffer, int filled) {
        for (int i = 0; i + 3 < filled; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String head) throws IOException {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        throw new IOException("no Content-Length in " + head.lines().findFirst().orElse(""));
    }

    public long requests() {
        return requests.get();
    }

    public long answered() {
        return answered.get();
    }

    /** Who answered so far ({@code identity}'s values). */
    public Set<String> answeredBy() {
        return Set.copyOf(answeredBy);
    }

    /** Stops sending, waits for the requests in flight, and returns the totals. */
    public Report stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofMillis(CONNECT_TIMEOUT_MS + READ_TIMEOUT_MS + 5_000));
        }
        if (stopped == 0) {
            stopped = System.nanoTime();
        }
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            System.arraycopy(latencies.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Report(requests.get(), answered.get(), refused.get(), failed.get(), new TreeMap<>(kinds),
                          Set.copyOf(answeredBy), Duration.ofNanos(stopped - started), all);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
