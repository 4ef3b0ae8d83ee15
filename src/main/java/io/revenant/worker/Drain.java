package io.revenant.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a stopping worker lets its kept-alive client connections go without a race. Closing an
 * idle kept-alive connection races the client's next request on it (the client sees a reset or
 * an empty answer: what an nginx reload does to a non-retrying client). Instead, once draining,
 * every response says {@code Connection: close} ({@link ConnectionRules}) and the worker waits
 * until each public connection has ended after such a response, so a client learns from the
 * response itself not to reuse the connection. Only connections that stay idle for the whole
 * wait are closed under a client's feet.
 */
final class Drain {

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger open = new AtomicInteger();

    boolean draining() {
        return draining.get();
    }

    void opened() {
        open.incrementAndGet();
    }

    void closed() {
        synchronized (open) {
            if (open.decrementAndGet() == 0) {
                open.notifyAll();
            }
        }
    }

    /** Public connections open now. */
    int open() {
        return open.get();
    }

    /** From now on every response closes its connection. */
    void begin() {
        draining.set(true);
    }

    /**
     * Waits until no public connection is open, or {@code timeoutMillis}.
     *
     * @return the connections still open then (idle ones the stop will close)
     */
    int await(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (open) {
            while (open.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                open.wait(left);
            }
            return open.get();
        }
    }
}
