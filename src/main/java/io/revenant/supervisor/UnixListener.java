package io.revenant.supervisor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.NativeCallException;

/**
 * A listening Unix stream socket of the supervisor and the thread that accepts on it (the notify
 * socket and the socket lender in the private runtime directory, the hand-over's abstract name).
 * Each accepted descriptor goes to the owner, which checks the peer and closes it. An accept that fails after {@link #close()} is the loop ending,
 * not a fault; one that fails while open is reported once and ends the loop.
 */
final class UnixListener implements AutoCloseable {

    private final int serverFd;
    private final AtomicBoolean open = new AtomicBoolean(true);

    /** Takes over {@code serverFd}, a listening socket; nothing is accepted before {@link #acceptOn}. */
    UnixListener(int serverFd) {
        this.serverFd = serverFd;
    }

    /** Accepts on a daemon thread named {@code thread} until closed, giving each connection to {@code connection}. */
    void acceptOn(String thread, IntConsumer connection, Consumer<NativeCallException> failed) {
        Thread.ofPlatform().daemon().name(thread).start(() -> {
            while (open.get()) {
                int fd;
                try {
                    fd = DescriptorPassing.accept(serverFd);
                } catch (NativeCallException e) {
                    if (open.get()) {
                        failed.accept(e);
                    }
                    return;
                }
                connection.accept(fd);
            }
        });
    }

    /** False once {@link #close()} began: a connection still being checked is then refused. */
    boolean isOpen() {
        return open.get();
    }

    /**
     * Wakes the accepting thread (shutdown) and closes the socket, once: a second close must not
     * close a descriptor number the kernel may have given to another file since. A socket file
     * stays for the owner to delete.
     */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            DescriptorPassing.shutdown(serverFd);
            Descriptors.closeQuietly(serverFd);
        }
    }
}
