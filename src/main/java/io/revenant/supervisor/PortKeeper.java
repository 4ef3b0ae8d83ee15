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
 * <p>It keeps two such sockets and hands over with one at a time, so the port never has zero
 * listeners, not even for the microseconds of a close and re-bind (a worker may die just then).
 * Its thread sleeps in a selector; it watches the accept queues only while a worker is READY, so
 * an unserved queue never turns into a busy loop.
 */
final class PortKeeper implements AutoCloseable {

    private static final int BACKLOG = 4096;

    private final InetSocketAddress address;
    private final EventLog log;
    private final Selector selector;
    private volatile boolean workersReady;
    /** The READY workers, checked once more right before a handover: the loop learns of a death late. */
    private volatile java.util.List<ProcessHandle> readyWorkers = java.util.List.of();
    private volatile boolean open = true;
    private final ServerSocketChannel[] channels = new ServerSocketChannel[2];
    private final SelectionKey[] keys = new SelectionKey[2];
    private long handovers;

    private PortKeeper(InetSocketAddress address, EventLog log) throws IOException {
        this.address = address;
        this.log = log;
        this.selector = Selector.open();
        listen(0);
        listen(1);
    }

    static PortKeeper start(String host, int port, EventLog log) throws IOException {
        PortKeeper keeper = new PortKeeper(new InetSocketAddress(host, port), log);
        Thread.ofPlatform().daemon().name("port-keeper").start(keeper::run);
        return keeper;
    }

    /** Called by the supervisor loop after every turn with the workers that are READY. */
    void workersReady(java.util.List<ProcessHandle> ready) {
        readyWorkers = ready;
        setReady(!ready.isEmpty());
    }

    private void setReady(boolean ready) {
        if (ready != workersReady) {
            workersReady = ready;
            selector.wakeup();
        }
    }

    private void listen(int i) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.configureBlocking(false);
        channel.bind(address, BACKLOG);
        channels[i] = channel;
        keys[i] = channel.register(selector, 0, i);
    }

    private void run() {
        try {
            while (open) {
                for (SelectionKey key : keys) {
                    key.interestOps(workersReady ? SelectionKey.OP_ACCEPT : 0);
                }
                selector.select();
                if (!open) {
                    return;
                }
                java.util.List<SelectionKey> queued = java.util.List.copyOf(selector.selectedKeys());
                selector.selectedKeys().clear();
                for (SelectionKey key : queued) {
                    if (!workersReady) {
                        break;
                    }
                    if (readyWorkers.stream().anyMatch(ProcessHandle::isAlive)) {
                        handOver((Integer) key.attachment());
                    } else {
                        // they died since the loop's last turn: closing now would reset the queue
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

    /**
     * Closing a socket makes the kernel move its queue to another listener of the group (a worker,
     * or the other keeper socket, which then hands over in turn); then it rejoins at once.
     */
    private void handOver(int i) throws IOException {
        channels[i].close();
        selector.selectNow();   // a registered channel's socket is released only at the next select
        listen(i);
        handovers++;
    }

    long handovers() {
        return handovers;
    }

    @Override
    public void close() throws IOException {
        open = false;
        selector.wakeup();
        for (ServerSocketChannel channel : channels) {
            channel.close();
        }
        selector.close();
    }
}
