package io.revenant.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A kill request ({@code POST /chaos/kill}, or the Node.js reference's {@code GET /workerKiller})
 * at most once per period, for a bounded time, on its own thread, each on a fresh connection
 * ({@link Http}). These calls are not part of a load's figures: a kill that finds no worker (all
 * restarting) waits in the queue or misses, and is not made up for by a burst afterwards.
 */
public final class KillLoop implements AutoCloseable {

    private static final int SAMPLES = 5;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong kills = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong broken = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final Duration timeout;
    private final Thread thread;

    /** {@code POST /chaos/kill} on {@code base}'s host and port. */
    public KillLoop(URI base, Duration period, Duration limit) {
        this(base.getHost(), base.getPort(), "POST", "/chaos/kill", period, limit, Http.TIMEOUT);
    }

    /** @param timeout per connect and per read of one kill request */
    public KillLoop(String host, int port, String method, String path, Duration period, Duration limit,
                    Duration timeout) {
        this.timeout = timeout;
        long deadline = System.nanoTime() + limit.toNanos();
        thread = Thread.ofPlatform().name("kill-loop").start(() -> {
            long next = System.nanoTime();
            while (running.get() && System.nanoTime() < deadline) {
                once(host, port, method, path);
                next = Math.max(next + period.toNanos(), System.nanoTime());
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    private void once(String host, int port, String method, String path) {
        attempts.incrementAndGet();
        try {
            Http.Response response = Http.request(host, port, method, path, "", timeout);
            if (response.status() / 100 == 2) {
                kills.incrementAndGet();
            } else {
                fail(broken, "status " + response.status());
            }
        } catch (ConnectException e) {
            fail(refused, e.toString());
        } catch (IOException e) {
            // e.g. a kill accepted by a worker that the previous kill was killing
            fail(broken, e.toString());
        }
    }

    private void fail(AtomicLong counter, String why) {
        counter.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < SAMPLES) {
                failures.add(why);
            }
        }
    }

    /** Kill requests answered 2xx. */
    public long kills() {
        return kills.get();
    }

    public long attempts() {
        return attempts.get();
    }

    /** Kill requests whose connect was refused: nothing listened on the port. */
    public long refused() {
        return refused.get();
    }

    /** Waits until the loop's limit has passed (or it was closed). */
    public void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(timeout.multipliedBy(2).plusSeconds(5));
    }

    @Override
    public String toString() {
        synchronized (failures) {
            return "kill requests: attempts=" + attempts() + " answered=" + kills() + " refused=" + refused()
                   + " broken=" + broken.get() + (failures.isEmpty() ? "" : " " + failures);
        }
    }
}
