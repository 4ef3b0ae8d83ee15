package io.revenant.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

/**
 * A listener of the supervisor's own in the workers' SO_REUSEPORT group, which never accepts.
 * While no worker is READY (all crashed, or still starting) the kernel queues new connections
 * on it instead of refusing them; as soon as a worker is READY and something is queued, the
 * keeper closes and reopens its socket, and with {@code net.ipv4.tcp_migrate_req=1} the kernel
 * hands the queued connections to the workers' listeners. No byte passes through the
 * supervisor: it only keeps the port from ever closing, as a Node.js cluster primary does.
 *
 * <p>One socket, not two taking turns: the kernel picks the listener a closing socket's queue
 * moves to by the connection's hash, so a queue handed from one keeper socket to another comes
 * straight back (measured: a busy loop). A hand-over happens only while a worker is alive, so the
 * microseconds between close and re-bind are covered by the workers' own listeners. Its thread
 * sleeps in a selector and watches the accept queue only while a worker is READY, so an unserved
 * queue never turns into a busy loop either.
 */
final class PortKeeper implements AutoCloseable {

    private static final int BACKLOG = 4096;

    private final InetSocketAddress address;
    private final EventLog log;
    private final Selector selector;
    private volatile boolean workersReady;
    private volatile boolean open = true;
    private ServerSocketChannel channel;
    private SelectionKey key;

    private PortKeeper(InetSocketAddress address, EventLog log) throws IOException {
        this.address = address;
        this.log = log;
        this.selector = Selector.open();
        listen();
    }

    static PortKeeper start(String host, int port, EventLog log) throws IOException {
        PortKeeper keeper = new PortKeeper(new InetSocketAddress(host, port), log);
        Thread.ofPlatform().daemon().name("port-keeper").start(keeper::run);
        return keeper;
    }

    /** Called by the supervisor loop after every turn: whether any worker is READY. */
    void workersReady(boolean ready) {
        if (ready != workersReady) {
            workersReady = ready;
            selector.wakeup();
        }
    }

    private void listen() throws IOException {
        channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.configureBlocking(false);
        channel.bind(address, BACKLOG);
        key = channel.register(selector, 0);
    }

    private void run() {
        try {
            while (open) {
                key.interestOps(workersReady ? SelectionKey.OP_ACCEPT : 0);
                selector.select();
                if (!open) {
                    return;
                }
                boolean queued = !selector.selectedKeys().isEmpty();
                selector.selectedKeys().clear();
                if (queued && workersReady) {
                    // the loop learns of a death late, and a dead worker's pid lives on as a zombie
                    // for a moment: hand over only when another listener is really there, or the
                    // kernel would reset the whole queue
                    if (ProcNet.listeners(address.getPort()) > 1) {
                        handOver();
                    } else {
                        workersReady = false;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (open) {
                log.event("port-keeper-failed", "error", e.toString(),
                          "message", "connections arriving while no worker is up will be refused");
            }
        }
    }

    /** Closing the socket makes the kernel move its queue to the workers; then it rejoins at once. */
    private void handOver() throws IOException {
        channel.close();
        selector.selectNow();   // a registered channel's socket is released only at the next select
        listen();
    }

    @Override
    public void close() throws IOException {
        open = false;
        selector.wakeup();
        channel.close();
        selector.close();
    }
}
