package io.revenant.supervisor;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * The one writer of a supervisor output stream (stdout or stderr). Callers only append to a
 * queue bounded in characters; a daemon thread does the writing. When whoever reads our output
 * stops reading (a full pipe, a stuck terminal, {@code java -jar … | sleep}), only that thread
 * blocks: lines that do not fit are dropped and counted, and the loop, the output pumps and
 * the admin listener go on. The count is written as one {@code event=log-dropped} line as soon
 * as the stream moves again.
 */
final class LogWriter {

    /**
     * Room for about 4,000 lines of 250 characters: enough for any burst a healthy reader keeps
     * up with, and a bounded share of the supervisor's small heap when nobody reads.
     */
    static final int DEFAULT_CAPACITY_CHARS = 1 << 20;

    private final PrintStream out;
    private final String stream;
    private final int capacityChars;
    private final Deque<String> queue = new ArrayDeque<>();
    private int queuedChars;
    private long dropped;
    private long droppedTotal;
    /** True while the writer thread holds a line it has taken but not yet finished writing. */
    private boolean writing;

    LogWriter(PrintStream out, String stream, int capacityChars) {
        this.out = out;
        this.stream = stream;
        this.capacityChars = capacityChars;
        Thread.ofPlatform().daemon().name("log-writer-" + stream).start(this::drain);
    }

    static LogWriter of(PrintStream out, String stream) {
        return new LogWriter(out, stream, DEFAULT_CAPACITY_CHARS);
    }

    /** Queues one line; never blocks. */
    void line(String text) {
        synchronized (queue) {
            if (queuedChars + text.length() > capacityChars) {
                dropped++;
                droppedTotal++;
                return;
            }
            queue.addLast(text);
            queuedChars += text.length();
            queue.notifyAll();
        }
    }

    /** Lines dropped since the start because the stream did not keep up. */
    long droppedTotal() {
        synchronized (queue) {
            return droppedTotal;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for the queue to be written out, e.g. before exit.
     *
     * @return true when everything queued was written
     */
    boolean flush(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (queue) {
            while (!queue.isEmpty() || writing) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    queue.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void drain() {
        while (true) {
            String next = null;
            long lost = 0;
            synchronized (queue) {
                writing = false;
                queue.notifyAll();
                if (queue.isEmpty() && dropped > 0) {
                    // told where it happened: after the lines that did fit
                    lost = dropped;
                    dropped = 0;
                } else {
                    while (queue.isEmpty()) {
                        try {
                            queue.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    next = queue.pollFirst();
                    queuedChars -= next.length();
                }
                writing = true;
            }
            if (next == null) {
                out.println(Instant.now() + " event=log-dropped stream=" + stream + " lines=" + lost
                            + " message=\"the reader of this stream fell behind; lines were dropped, not waited for\"");
            } else {
                out.println(next);
            }
        }
    }
}
