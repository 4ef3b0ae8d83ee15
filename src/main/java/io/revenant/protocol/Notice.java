package io.revenant.protocol;

/**
 * What a worker tells the supervisor on the notify socket, one line each (like sd_notify);
 * {@link NotifyCodec} writes and reads the lines. Every notice names its worker, and the
 * supervisor accepts it only from that worker's own process.
 */
public sealed interface Notice {

    /** The worker id the supervisor gave this process at spawn. */
    long worker();

    /**
     * Serving on the lent socket: checks passed, socket adopted.
     *
     * @param adminPort   the loopback admin listener the watchdog probes
     * @param socketInode the inode of the socket the worker accepts on, for the log
     * @param swapMicros  how long swapping the socket under Helidon took
     * @param wakeMicros  how long waking Helidon's accept loop after the swap took
     */
    record Ready(long worker, long pid, int adminPort, long socketInode, long swapMicros, long wakeMicros)
            implements Notice {

        public Ready {
            NotifyCodec.number("worker", worker);
            NotifyCodec.number("pid", pid);
            NotifyCodec.number("socketInode", socketInode);
            NotifyCodec.number("swapMicros", swapMicros);
            NotifyCodec.number("wakeMicros", wakeMicros);
            if (adminPort < 1 || adminPort > 65535) {
                throw new IllegalArgumentException("adminPort must be a port from 1 to 65535; got " + adminPort);
            }
        }
    }

    /** A hot spare is warm and waits for {@link Command.Bind}. */
    record Spare(long worker, long pid) implements Notice {

        public Spare {
            NotifyCodec.number("worker", worker);
            NotifyCodec.number("pid", pid);
        }
    }

    /**
     * The worker asks to be replaced, e.g. {@code max-requests}: lower-case letters, digits and
     * {@code .:=-}, at most 64 characters, so a reason can go into a log line as it is.
     */
    record Recycle(long worker, String reason) implements Notice {

        public Recycle {
            NotifyCodec.number("worker", worker);
            if (!NotifyCodec.RECYCLE_REASON.matcher(reason).matches()) {
                throw new IllegalArgumentException("a recycle reason is lower-case [a-z0-9.:=-], at most 64 characters;"
                                                   + " got \"" + reason + "\"");
            }
        }
    }
}
