package io.revenant.e2e;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /chaos/kill} once per period, for a bounded time, on its own thread. These calls
 * are not part of the load's figures: a kill that finds no worker (all restarting) just misses.
 */
public final class KillLoop implements AutoCloseable {

    private final Http http = new Http();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong kills = new AtomicLong();
    private final Thread thread;

    public KillLoop(URI base, Duration period, Duration limit) {
        URI kill = base.resolve("/chaos/kill");
        long deadline = System.nanoTime() + limit.toNanos();
        thread = Thread.ofPlatform().name("kill-loop").start(() -> {
            long next = System.nanoTime();
            while (running.get() && System.nanoTime() < deadline) {
                attempts.incrementAndGet();
                try {
                    if (http.post(kill).status() == 202) {
                        kills.incrementAndGet();
                    }
                } catch (IOException e) {
                    // a missed kill; the next one comes at the next period
                } catch (InterruptedException e) {
                    return;
                }
                next += period.toNanos();
                long pause = next - System.nanoTime();
                if (pause > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(pause));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    public long kills() {
        return kills.get();
    }

    public long attempts() {
        return attempts.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofSeconds(35));
    }
}
