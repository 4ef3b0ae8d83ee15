package io.revenant.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
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
import java.util.stream.Collectors;

import jakarta.json.JsonNumber;

import io.revenant.protocol.JsonText;
import io.revenant.stack.WorkerReply;

/**
 * Load as curl, ab, health checkers and many API clients make it: {@code clients} platform
 * threads, each sending {@code GET path} on a <em>fresh TCP connection per request</em>
 * ({@link Http}), one after another, until {@link #stop()} or its limit. Nothing is retried: a
 * request either gets a full 200 answer from the app or counts as a failure of one kind:
 * <ul>
 *   <li><b>refused</b>: connect(2) failed with ECONNREFUSED, nothing listened on the port;</li>
 *   <li><b>reset</b> family: {@code reset} (RST before any byte), {@code closed-before-answer}
 *       (FIN before any byte), {@code broken-answer} (cut in the middle), {@code broken-pipe};</li>
 *   <li><b>other</b>: {@code timeout}, {@code status-N}, {@code not-the-app}, any other error.</li>
 * </ul>
 * A connection that waits in the listening socket's queue (while no worker accepts) is not a
 * failure as long as it is answered within the request timeout. Used by the integration tests
 * (counts), the end-to-end tests, {@code make bench} (latency percentiles, also against the
 * Node.js reference) and the soak.
 */
public final class FreshConnectionLoad implements AutoCloseable {

    public static final String REFUSED = "refused";
    /** The kinds that mean the connection broke after it was accepted. */
    private static final Set<String> BROKEN = Set.of("reset", "closed-before-answer", "broken-answer", "broken-pipe");

    /**
     * Per connect and per read for the integration tests: long enough to wait in the socket's
     * queue while a worker JVM starts on a busy machine (measured: 7-11 s for a cold worker on 2
     * shared cores at load 15).
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** Per read for the bench, soak and end-to-end loads, as before (they connected within 5 s). */
    public static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    /** The integration tests' load stops by itself after this, even if a test forgets to stop it. */
    public static final Duration LIMIT = Duration.ofSeconds(90);
    private static final int SAMPLES = 20;

    /** Who answered a Revenant {@code GET /}: {@code instance/pid/worker}, from its JSON identity. */
    public static final Function<String, Optional<String>> REVENANT = body -> JsonText.parse(body)
            .filter(json -> json.get("pid") instanceof JsonNumber)
            .flatMap(json -> WorkerReply.parse(json).map(r -> r.instance() + "/" + json.getJsonNumber("pid").longValue() + "/" + r.worker()));

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

    private final String name;
    private final String host;
    private final int port;
    private final String path;
    private final Duration timeout;
    private final Function<String, Optional<String>> identity;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> kinds = new ConcurrentHashMap<>();
    private final Set<String> answeredBy = ConcurrentHashMap.newKeySet();
    private final List<String> samples = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<long[]> latencies = new ArrayList<>();
    private final int[] counts;
    private final long started = System.nanoTime();
    private final long deadline;
    private volatile long stopped;

    /** The integration tests' load: {@code GET /} on 127.0.0.1:{@code port}; {@code name} labels the printed counts. */
    public FreshConnectionLoad(String name, int port, int clients) {
        this(name, "127.0.0.1", port, "/", clients, LIMIT, REQUEST_TIMEOUT, REVENANT);
    }

    /**
     * @param limit    hard bound on the run, even if nobody calls {@link #stop()}
     * @param timeout  per connect and per read
     * @param identity reads who answered from a 200's body; empty means the answer is not the app's
     */
    public FreshConnectionLoad(String name, String host, int port, String path, int clients, Duration limit,
                               Duration timeout, Function<String, Optional<String>> identity) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.path = path;
        this.timeout = timeout;
        this.identity = identity;
        this.deadline = started + limit.toNanos();
        this.counts = new int[clients];
        for (int i = 0; i < clients; i++) {
            latencies.add(new long[1 << 14]);
        }
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofPlatform().daemon().name("fresh-load-" + i).start(() -> loop(client)));
        }
    }

    private void loop(int client) {
        while (running.get() && System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            String failure;
            String detail = null;
            try {
                Http.Response response = Http.request(host, port, "GET", path, Http.ACCEPT_JSON, timeout);
                Optional<String> who = response.status() == 200 ? identity.apply(response.body()) : Optional.empty();
                if (response.status() != 200) {
                    failure = "status-" + response.status();
                    detail = response.body();
                } else if (who.isPresent()) {
                    answeredBy.add(who.get());
                    failure = null;
                } else {
                    failure = "not-the-app";
                    detail = response.body();
                }
            } catch (ConnectException e) {
                failure = lower(e).contains("refused") ? REFUSED : "connect-" + e.getMessage();
                detail = e.toString();
            } catch (SocketTimeoutException e) {
                failure = "timeout";
                detail = "after " + timeout.toMillis() + " ms: " + e;
            } catch (Http.NoResponseException e) {
                failure = e.reset() ? "reset" : "closed-before-answer";
                detail = e.toString();
            } catch (Http.BrokenResponseException e) {
                failure = "broken-answer";
                detail = e.toString();
            } catch (SocketException e) {
                String message = lower(e);
                failure = message.contains("reset") ? "reset" : message.contains("broken pipe") ? "broken-pipe"
                        : "socket-" + e.getMessage();
                detail = e.toString();
            } catch (IOException | RuntimeException e) {
                failure = e.getClass().getSimpleName();
                detail = e.toString();
            }
            long micros = (System.nanoTime() - t0) / 1000;
            requests.incrementAndGet();
            if (failure == null) {
                answered.incrementAndGet();
                record(client, micros);
            } else {
                count(failure, detail);
            }
        }
    }

    private static String lower(Exception e) {
        return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    }

    private void count(String failure, String detail) {
        failed.incrementAndGet();
        kinds.merge(failure, 1L, Long::sum);
        synchronized (samples) {
            if (samples.size() < SAMPLES) {
                samples.add(Instant.now() + " " + failure + ": " + detail);
            }
        }
        if (failure.equals(REFUSED)) {
            refused.incrementAndGet();
            pause();   // as a client would before it tries again; keeps a refusal storm bounded
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

    public long requests() {
        return requests.get();
    }

    /** Requests answered 200 by the app. */
    public long answered() {
        return answered.get();
    }

    public long refused() {
        return refused.get();
    }

    /** Connections accepted and then reset or closed before a whole answer. */
    public long reset() {
        return kinds.entrySet().stream().filter(e -> BROKEN.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** Failures neither refused nor reset: timeouts, other statuses, answers not from the app. */
    public long other() {
        return failed() - refused() - reset();
    }

    public long failed() {
        return failed.get();
    }

    /** Who answered so far ({@code identity}'s values). */
    public Set<String> answeredBy() {
        return Set.copyOf(answeredBy);
    }

    /** Instance ids that answered so far (with the {@link #REVENANT} identity). */
    public Set<String> instances() {
        return part(0);
    }

    /** Worker pids that answered so far (with the {@link #REVENANT} identity). */
    public Set<String> pids() {
        return part(1);
    }

    private Set<String> part(int index) {
        return answeredBy.stream().map(who -> who.split("/")[index]).collect(Collectors.toUnmodifiableSet());
    }

    /** The counts on one line, and the first failures, for the test output and assertion messages. */
    public String summary() {
        long end = stopped == 0 ? System.nanoTime() : stopped;
        double seconds = (end - started) / 1e9;
        String first;
        synchronized (samples) {
            first = samples.isEmpty() ? "" : "\n  first failures:\n    " + String.join("\n    ", samples);
        }
        return String.format(Locale.ROOT, "%s: requests=%d answered=%d refused=%d reset=%d other=%d failed=%d"
                             + " in %.1f s (%.0f req/s) kinds=%s%s", name, requests(), answered(), refused(), reset(),
                             other(), failed(), seconds, requests() / Math.max(seconds, 0.001), new TreeMap<>(kinds),
                             first);
    }

    /** Stops sending, waits for the requests in flight, and returns the totals. */
    public Report stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(timeout.multipliedBy(2).plusSeconds(5));
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

    /** Stops the load and prints its counts. */
    public String finish() throws InterruptedException {
        stop();
        String summary = summary();
        System.out.println(summary);
        return summary;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
