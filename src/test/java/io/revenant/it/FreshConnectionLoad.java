package io.revenant.it;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load as curl, ab, health checkers and many API clients make it: {@code clients} threads, each
 * sending {@code GET /} on a fresh loopback TCP connection per request, one after another, until
 * {@link #close()} or {@link #LIMIT}, whichever comes first. Nothing is retried: a request either
 * gets a full 200 answer or counts as a failure of one kind:
 * <ul>
 *   <li><b>refused</b>: connect(2) failed with ECONNREFUSED, nothing listened on the port;</li>
 *   <li><b>reset</b>: the connection was reset or closed before a full response;</li>
 *   <li><b>other</b>: no answer within {@link #REQUEST_TIMEOUT}, a status other than 200, a
 *       malformed answer, or any other I/O error.</li>
 * </ul>
 * A connection that waits in the listening socket's queue (while no worker accepts) is not a
 * failure as long as it is answered within {@link #REQUEST_TIMEOUT}.
 */
final class FreshConnectionLoad implements AutoCloseable {

    /**
     * Per connect and per read: long enough to wait in the socket's queue while a worker JVM
     * starts on a busy machine (measured: 7-11 s for a cold worker on 2 shared cores at load 15).
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /** The load stops by itself after this, even if a test forgets to close it. */
    static final Duration LIMIT = Duration.ofSeconds(90);
    private static final int SAMPLES = 20;

    private final String name;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reset = new AtomicLong();
    private final AtomicLong other = new AtomicLong();
    private final List<String> samples = new ArrayList<>();
    private final Set<String> instances = ConcurrentHashMap.newKeySet();
    private final Set<String> pids = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private final long startedAt = System.nanoTime();
    private final long endAt = startedAt + LIMIT.toNanos();
    private volatile long stoppedAt;
    private volatile boolean running = true;

    /** Starts the clients at once. {@code name} labels the printed counts. */
    FreshConnectionLoad(String name, int port, int clients) {
        this.name = name;
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().name("fresh-load-" + i).start(() -> {
                while (running && System.nanoTime() < endAt) {
                    once(port);
                }
            }));
        }
    }

    private void once(int port) {
        try {
            Http.Response response = Http.request(port, "GET", "/", "Accept: application/json\r\n", REQUEST_TIMEOUT);
            if (response.status() != 200) {
                count(other, "status " + response.status() + " " + response.body());
                return;
            }
            ok.incrementAndGet();
            instances.add(response.field("instance"));
            pids.add(response.field("pid"));
        } catch (ConnectException e) {
            count(refused, e.toString());
        } catch (SocketTimeoutException e) {
            count(other, "timeout after " + REQUEST_TIMEOUT.toMillis() + " ms: " + e);
        } catch (Http.NoResponseException | Http.BrokenResponseException e) {
            count(reset, e.toString());
        } catch (SocketException e) {
            // "Connection reset" and "Broken pipe" outside the reads Http classifies
            count(isReset(e) ? reset : other, e.toString());
        } catch (IOException | RuntimeException e) {
            count(other, e.toString());
        }
    }

    private static boolean isReset(SocketException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("reset") || message.contains("Broken pipe");
    }

    private void count(AtomicLong counter, String why) {
        counter.incrementAndGet();
        synchronized (samples) {
            if (samples.size() < SAMPLES) {
                samples.add(Instant.now() + " " + why);
            }
        }
    }

    long ok() {
        return ok.get();
    }

    long refused() {
        return refused.get();
    }

    long reset() {
        return reset.get();
    }

    long other() {
        return other.get();
    }

    long failed() {
        return refused() + reset() + other();
    }

    long requests() {
        return ok() + failed();
    }

    /** The counts on one line, and the first failures, for the test output and assertion messages. */
    String summary() {
        long end = stoppedAt == 0 ? System.nanoTime() : stoppedAt;
        double seconds = (end - startedAt) / 1e9;
        return String.format("%s: requests=%d ok=%d refused=%d reset=%d other=%d failed=%d in %.1f s (%.0f req/s)%s",
                             name, requests(), ok(), refused(), reset(), other(), failed(), seconds,
                             requests() / Math.max(seconds, 0.001), failureSamples());
    }

    private String failureSamples() {
        synchronized (samples) {
            return samples.isEmpty() ? "" : "\n  first failures:\n    " + String.join("\n    ", samples);
        }
    }

    Set<String> instances() {
        return Set.copyOf(instances);
    }

    Set<String> pids() {
        return Set.copyOf(pids);
    }

    /** Stops the clients; each ends its request in flight first (at most {@link #REQUEST_TIMEOUT} per read). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        if (stoppedAt == 0) {
            stoppedAt = System.nanoTime();
        }
    }

    /** Stops the load and prints its counts. */
    String finish() throws InterruptedException {
        close();
        String summary = summary();
        System.out.println(summary);
        return summary;
    }
}
