package io.revenant.supervisor;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The last event lines, kept for the dashboard's {@code GET /events} stream: a bounded ring
 * replayed to a new subscriber, then every line as it is logged.
 *
 * <p>Whoever logs must never wait for a browser: {@link #publish} only copies the line into a
 * bounded queue per subscriber, and a subscriber whose queue is full (a browser that stopped
 * reading) is cut off instead. Its {@code EventSource} reconnects by itself and, with the
 * {@code Last-Event-ID} it sends, gets only the lines it missed that the ring still holds.
 * Subscribers are capped, so that open tabs cannot grow the supervisor's memory without bound.
 */
final class EventFeed {

    /** Lines replayed on connect: the dashboard shows the last 100 events. */
    static final int RING = 100;
    /** Open streams at most; one more is refused (503) rather than queued. */
    static final int MAX_SUBSCRIBERS = 8;
    /** Lines a subscriber may fall behind before it is cut off: above a burst of a whole pool's restart. */
    static final int QUEUE = 256;

    /** A line and its number in the feed, which is its SSE {@code id}. */
    record Line(long id, String text) {
    }

    private final int ring;
    private final int maxSubscribers;
    private final int queue;
    private final ArrayDeque<Line> last;
    private final Set<Subscription> subscribers = new HashSet<>();
    private long nextId = 1;
    private boolean closed;

    EventFeed() {
        this(RING, MAX_SUBSCRIBERS, QUEUE);
    }

    EventFeed(int ring, int maxSubscribers, int queue) {
        this.ring = ring;
        this.maxSubscribers = maxSubscribers;
        this.queue = queue;
        this.last = new ArrayDeque<>(ring);
    }

    /** Keeps {@code text} in the ring and hands it to every subscriber; never blocks beyond a short lock. */
    synchronized void publish(String text) {
        Line line = new Line(nextId++, text);
        if (last.size() == ring) {
            last.removeFirst();
        }
        last.addLast(line);
        for (Subscription subscriber : List.copyOf(subscribers)) {
            if (!subscriber.lines.offer(line)) {
                subscriber.cutOff("fell " + queue + " lines behind");
            }
        }
    }

    /**
     * @param after the id of the last line the subscriber has seen (its {@code Last-Event-ID}), or 0
     * @return a subscription that starts with the ring's lines after {@code after}, or empty when
     *         {@link #MAX_SUBSCRIBERS} are open or the feed is closed
     */
    synchronized Optional<Subscription> subscribe(long after) {
        if (closed || subscribers.size() >= maxSubscribers) {
            return Optional.empty();
        }
        List<Line> replay = new ArrayList<>();
        for (Line line : last) {
            if (line.id() > after) {
                replay.add(line);
            }
        }
        Subscription subscription = new Subscription(replay);
        subscribers.add(subscription);
        return Optional.of(subscription);
    }

    synchronized int subscribers() {
        return subscribers.size();
    }

    /** Ends every stream (the supervisor is stopping) and refuses new ones. */
    synchronized void close() {
        closed = true;
        List.copyOf(subscribers).forEach(subscriber -> subscriber.cutOff("the supervisor is stopping"));
    }

    private synchronized void remove(Subscription subscription) {
        subscribers.remove(subscription);
    }

    /** One open stream. The handler thread that serves it is the only reader. */
    final class Subscription implements AutoCloseable {

        /** Put in the queue to wake the reader when the subscription ends. */
        private static final Line END = new Line(0, "");

        private final List<Line> replay;
        private final BlockingQueue<Line> lines;
        private volatile String endReason;

        private Subscription(List<Line> replay) {
            this.replay = replay;
            this.lines = new ArrayBlockingQueue<>(queue);
        }

        /** The ring's lines at subscription time, oldest first. */
        List<Line> replay() {
            return replay;
        }

        /**
         * The next line, waiting up to {@code wait}; empty on a quiet period (time for a
         * keep-alive). Throws {@link Ended} once the feed cut this subscriber off.
         */
        Optional<Line> next(Duration wait) throws InterruptedException, Ended {
            Line line = lines.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (line == END || endReason != null) {
                throw new Ended(endReason);
            }
            return Optional.ofNullable(line);
        }

        /** Called with the feed's lock held; emptied first, so that END always fits. */
        private void cutOff(String reason) {
            endReason = reason;
            subscribers.remove(this);
            lines.clear();
            lines.offer(END);
        }

        @Override
        public void close() {
            remove(this);
        }
    }

    /** The feed ended a subscription; the reason is for the log. */
    static final class Ended extends Exception {
        Ended(String reason) {
            super(reason, null, false, false);
        }
    }
}
