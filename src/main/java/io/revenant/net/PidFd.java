package io.revenant.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * A process's pidfd (pidfd_open(2), Linux 5.3+): it becomes readable the moment the process
 * exits, for any process that may see it, parent or not, and the wait costs no CPU (the bench
 * times a worker's exit with it; a loop reading {@code /proc} took a core from what it timed).
 * The supervisor keeps {@code Process.onExit()}: the JDK's reaper, blocked in waitpid, collects
 * the exit code before a pidfd's waiter can read it (20 of 20 times here).
 */
public final class PidFd implements AutoCloseable {

    /** The same number on every 64-bit Linux architecture (the unified table from 5.1 on). */
    private static final long SYS_PIDFD_OPEN = 434;
    private static final short POLLIN = 1;
    private static final int EINTR = 4;

    private final int fd;
    private boolean closed;

    private PidFd(int fd) {
        this.fd = fd;
    }

    /** Opens a pidfd of {@code pid}; fails (ESRCH) when there is no such process. */
    public static PidFd open(long pid) {
        try {
            return new PidFd((int) LibC.INSTANCE.syscall(SYS_PIDFD_OPEN, pid, 0));
        } catch (LastErrorException e) {
            throw new NativeCallException("pidfd_open(" + pid + ")", e);
        }
    }

    /**
     * Waits until the process has exited (it is then a zombie or gone); false when
     * {@code timeoutMs} passed first. A negative {@code timeoutMs} waits for ever.
     */
    public boolean awaitExit(int timeoutMs) {
        try (Memory pollfd = new Memory(8)) {
            pollfd.setInt(0, fd);
            pollfd.setShort(4, POLLIN);
            pollfd.setShort(6, (short) 0);
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (true) {
                int left = timeoutMs < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                try {
                    return LibC.INSTANCE.poll(pollfd, 1, left) > 0;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != EINTR) {
                        throw new NativeCallException("poll(pidfd)", e);
                    }
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Descriptors.closeQuietly(fd);
        }
    }
}
