package io.revenant.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.revenant.stack.WorkerReply;

/**
 * A bounded, concurrent {@code GET} load on kept-alive connections (the JDK's pooled client, the
 * opposite of {@link FreshConnectionLoad}): {@code connections} virtual threads, each sending one
 * request after the other until {@link #stop()} or its limit. Every answer that is not a 200 with
 * a worker's identity, and every exception, is a failure, counted by kind.
 */
public final class KeepAliveLoad implements AutoCloseable {

    /** What to do with a GET that a kept-alive connection's close crossed before any response byte. */
    public enum Unanswered {
        /**
         * Send it once more, as browsers do (RFC 9110, 9.2.2): a gracefully reloading nginx closes
         * its idle client connections, and a request can cross that close on the wire. Counted
         * in {@link Report#retried()}.
         */
        RETRY_ONCE,
        /** Count it as a failure (the bench's chaos run: no client-side retry hides a failure). */
        FAIL
    }

    /** Totals of a run. */
    public record Report(long requests, long failures, Map<String, Long> failuresByKind, Set<String> instances,
                         Duration elapsed, long maxLatencyMs, long retried) {

        public double successRatio() {
            return requests == 0 ? 0 : (double) (requests - failures) / requests;
        }

        @Override
        public String toString() {
            return String.format("requests=%d failures=%d success=%.4f%% rate=%.0f/s max-latency=%dms"
                                 + " instances=%d failure-kinds=%s retried-unanswered=%d",
                                 requests, failures, 100 * successRatio(),
                                 requests / Math.max(0.001, elapsed.toMillis() / 1000.0), maxLatencyMs,
                                 instances.size(), failuresByKind, retried);
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final HttpRequest get;
    private final Unanswered unanswered;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong maxLatencyMs = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final Map<String, Long> kinds = new ConcurrentHashMap<>();
    private final Set<String> instances = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final long started = System.nanoTime();
    private final long deadline;
    private volatile long stopped;

    /** @param limit hard bound on the run, even if nobody calls {@link #stop()} */
    public KeepAliveLoad(URI uri, int connections, Duration limit, Unanswered unanswered) {
        this.get = HttpRequest.newBuilder(uri).timeout(Http.TIMEOUT).header("Accept", "application/json").GET().build();
        this.unanswered = unanswered;
        this.deadline = started + limit.toNanos();
        for (int i = 0; i < connections; i++) {
            threads.add(Thread.ofVirtual().name("keep-alive-load-" + i).start(this::loop));
        }
    }

    private void loop() {
        while (running.get() && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            String failure;
            try {
                HttpResponse<String> answer;
                try {
                    answer = send();
                } catch (IOException e) {
                    if (unanswered == Unanswered.FAIL || !unanswered(e)) {
                        throw e;
                    }
                    retried.incrementAndGet();
                    answer = send();
                }
                Optional<WorkerReply> reply = WorkerReply.parse(answer.body());
                if (answer.statusCode() != 200) {
                    failure = "status-" + answer.statusCode();
                } else if (reply.isEmpty()) {
                    failure = "no-identity";
                } else {
                    instances.add(reply.get().instance());
                    failure = null;
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            maxLatencyMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
            requests.incrementAndGet();
            if (failure != null) {
                failures.incrementAndGet();
                kinds.merge(failure, 1L, Long::sum);
            }
        }
    }

    private HttpResponse<String> send() throws IOException, InterruptedException {
        return client.send(get, HttpResponse.BodyHandlers.ofString());
    }

    /** The JDK client's words for a connection closed before any byte of the response. */
    private static boolean unanswered(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("received no bytes");
    }

    public long requests() {
        return requests.get();
    }

    /** Failed requests so far. */
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
            thread.join(Http.TIMEOUT.plusSeconds(5));
        }
        if (stopped == 0) {
            stopped = System.nanoTime();
        }
        return new Report(requests.get(), failures.get(), new TreeMap<>(kinds), Set.copyOf(instances),
                          Duration.ofNanos(stopped - started), maxLatencyMs.get(), retried.get());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
