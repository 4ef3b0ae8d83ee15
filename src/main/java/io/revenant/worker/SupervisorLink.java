package io.revenant.worker;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The worker's end of the notify protocol (like sd_notify): one line of space-separated
 * {@code KEY=VALUE} fields per message over a Unix stream socket the supervisor listens on.
 * The connection stays open for the life of the worker; nothing is sent back.
 */
final class SupervisorLink implements AutoCloseable {

    private final SocketChannel channel;

    private SupervisorLink(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects, or returns a link that drops messages when the worker runs standalone. */
    static SupervisorLink connect(Optional<String> socketPath) throws IOException {
        if (socketPath.isEmpty()) {
            return new SupervisorLink(null);
        }
        return new SupervisorLink(SocketChannel.open(UnixDomainSocketAddress.of(socketPath.get())));
    }

    /** Sends one message, e.g. {@code send("READY=1 WORKER=7 ADMIN_PORT=41234")}. */
    synchronized void send(String fields) throws IOException {
        if (channel == null) {
            return;
        }
        ByteBuffer line = ByteBuffer.wrap((fields + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
