package io.revenant.it;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.NativeCallException;

/**
 * A stand-in for the supervisor's socket lender: a Unix socket at {@code path} that sends every
 * connecting process a copy of one descriptor the test chose (SCM_RIGHTS), whatever it is.
 */
final class FakeLender implements AutoCloseable {

    final Path path;
    private final int serverFd;
    private final AtomicInteger lent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean open = true;

    FakeLender(Path path, int lentFd) {
        this.path = path;
        this.serverFd = DescriptorPassing.listen(path);
        this.thread = Thread.ofPlatform().daemon().name("fake-lender").start(() -> {
            while (open) {
                int connection;
                try {
                    connection = DescriptorPassing.accept(serverFd);
                } catch (NativeCallException e) {
                    return;
                }
                try {
                    DescriptorPassing.send(connection, lentFd);
                    lent.incrementAndGet();
                } finally {
                    Descriptors.closeQuietly(connection);
                }
            }
        });
    }

    /** How many times the descriptor was sent. */
    int lent() {
        return lent.get();
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        DescriptorPassing.shutdown(serverFd);
        thread.join(5000);
        Descriptors.closeQuietly(serverFd);
    }
}
