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

import io.revenant.protocol.Command;
import io.revenant.protocol.Notice;
import io.revenant.protocol.NotifyCodec;

/**
 * The worker's end of the notify protocol (like sd_notify): one {@link Notice} per line over a
 * Unix stream socket the supervisor listens on, spelled by {@link NotifyCodec}. The connection
 * stays open for the life of the worker; the supervisor's few {@link Command}s to the worker
 * ({@code BIND SLOT=n} for a hot spare) come back on it, one per line.
 */
final class SupervisorLink implements AutoCloseable {

    private final SocketChannel channel;

    private SupervisorLink(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects, or returns a link that drops messages when the worker runs standalone.
     *
     * @param commands receives each command from the supervisor, on the reader thread (a spare
     *                 adopts the socket right there); a line that is not one is reported on stderr and skipped
     */
    static SupervisorLink connect(Optional<String> socketPath, Consumer<Command> commands) throws IOException {
        if (socketPath.isEmpty()) {
            return new SupervisorLink(null);
        }
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath.get()));
        Thread.ofPlatform().daemon().name("supervisor-link").start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    // instanceof, not a pattern switch, whose first run (a spare's takeover) bootstraps a call site
                    NotifyCodec.Decoded<Command> decoded = NotifyCodec.decodeCommand(line);
                    if (decoded instanceof NotifyCodec.Decoded.Accepted<Command> command) {
                        commands.accept(command.message());
                    } else if (decoded instanceof NotifyCodec.Decoded.Rejected<Command> rejected) {
                        System.err.println("revenant worker: ignored a line from the supervisor: " + rejected.problem());
                    }
                }
            } catch (IOException e) {
                // the link closed: the supervisor is gone, and the parent-death signal follows
            }
        });
        return new SupervisorLink(channel);
    }

    /** Sends one notice; nothing when the worker runs standalone. */
    synchronized void send(Notice notice) throws IOException {
        if (channel == null) {
            return;
        }
        ByteBuffer line = ByteBuffer.wrap((NotifyCodec.encode(notice) + "\n").getBytes(StandardCharsets.US_ASCII));
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
