package io.revenant.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The worker's end of the notify protocol (like sd_notify): one line of space-separated
 * {@code KEY=VALUE} fields per message over a Unix stream socket the supervisor listens on.
 * The connection stays open for the life of the worker; the supervisor's few commands to the
 * worker ({@code BIND SLOT=n} for a hot spare) come back on it, one per line.
 */
final class SupervisorLink implements AutoCloseable {

    private final SocketChannel channel;

    private SupervisorLink(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects, or returns a link that drops messages when the worker runs standalone.
     *
     * @param commands receives each command line from the supervisor, on a reader thread
     */
    static SupervisorLink connect(Optional<String> socketPath, Consumer<String> commands) throws IOException {
        if (socketPath.isEmpty()) {
            return new SupervisorLink(null);
        }
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath.get()));
        Thread.ofPlatform().daemon().name("supervisor-link").start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    commands.accept(line.trim());
                }
            } catch (IOException e) {
                // the link closed: the supervisor is gone, and the parent-death signal follows
            }
        });
        return new SupervisorLink(channel);
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
