package io.revenant.supervisor;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.NativeCallException;

/**
 * A Unix stream socket of the supervisor's private runtime directory and the thread that accepts
 * on it (the notify socket, the socket lender). Each accepted descriptor goes to the owner, which
 * checks the peer and closes it. An accept that fails after {@link #close()} is the loop ending,
 * not a fault; one that fails while open is reported once and ends the loop.
 */
final class UnixListener implements AutoCloseable {

    private final Path path;
    private final int serverFd;
    private volatile boolean open = true;

    private UnixListener(Path path, int serverFd) {
        this.path = path;
        this.serverFd = serverFd;
    }

    /** Binds and listens on {@code path}; nothing is accepted before {@link #acceptOn}. */
    static UnixListener listen(Path path) {
        return new UnixListener(path, DescriptorPassing.listen(path));
    }

    /** Accepts on a daemon thread named {@code thread} until closed, giving each connection to {@code connection}. */
    void acceptOn(String thread, IntConsumer connection, Consumer<NativeCallException> failed) {
        Thread.ofPlatform().daemon().name(thread).start(() -> {
            while (open) {
                int fd;
                try {
                    fd = DescriptorPassing.accept(serverFd);
                } catch (NativeCallException e) {
                    if (open) {
                        failed.accept(e);
                    }
                    return;
                }
                connection.accept(fd);
            }
        });
    }

    Path path() {
        return path;
    }

    /** False once {@link #close()} began: a connection still being checked is then refused. */
    boolean isOpen() {
        return open;
    }

    /** Wakes the accepting thread (shutdown) and closes the socket; the file stays for the owner to delete. */
    @Override
    public void close() {
        open = false;
        DescriptorPassing.shutdown(serverFd);
        Descriptors.closeQuietly(serverFd);
    }
}
