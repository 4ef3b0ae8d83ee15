package io.revenant.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The supervisor's end of the notify protocol: a Unix stream socket in a private (0700)
 * directory. Each worker connects once and writes lines of space-separated {@code KEY=VALUE}
 * fields that include {@code WORKER=<id>}; each line becomes an {@link Event.WorkerNotified}.
 * The loop can answer a worker on its connection ({@code BIND SLOT=n} to a hot spare).
 */
final class NotifySocket implements AutoCloseable {

    private final Path directory;
    private final Path path;
    private final ServerSocketChannel server;
    /** Each worker's connection, known from its first message. */
    private final Map<Long, SocketChannel> byWorker = new java.util.concurrent.ConcurrentHashMap<>();

    private NotifySocket(Path directory, Path path, ServerSocketChannel server) {
        this.directory = directory;
        this.path = path;
        this.server = server;
    }

    static NotifySocket open(Consumer<Event> events) throws IOException {
        Path directory = Files.createTempDirectory("revenant-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path path = directory.resolve("notify.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        NotifySocket socket = new NotifySocket(directory, path, server);
        Thread.ofPlatform().daemon().name("notify-accept").start(() -> socket.accept(events));
        return socket;
    }

    String path() {
        return path.toString();
    }

    /** The private (0700) runtime directory; the socket lender lives there too. */
    Path directory() {
        return directory;
    }

    private void accept(Consumer<Event> events) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("notify-read").start(() -> read(channel, events, byWorker));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void read(SocketChannel channel, Consumer<Event> events, Map<Long, SocketChannel> byWorker) {
        long known = -1;
        try (channel; BufferedReader lines = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Map<String, String> fields = parse(line);
                String worker = fields.get("WORKER");
                if (worker != null && worker.matches("\\d+")) {
                    if (known < 0) {
                        known = Long.parseLong(worker);
                        byWorker.put(known, channel);
                    }
                    events.accept(new Event.WorkerNotified(Long.parseLong(worker), fields));
                }
            }
        } catch (IOException e) {
            // the worker exited; its exit arrives through onExit()
        } finally {
            if (known >= 0) {
                byWorker.remove(known);
            }
        }
    }

    /** Sends one command line to a worker; false if it has no connection (gone, or not yet connected). */
    boolean send(long worker, String line) {
        SocketChannel channel = byWorker.get(worker);
        if (channel == null) {
            return false;
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            synchronized (channel) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static Map<String, String> parse(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String field : line.trim().split("\\s+")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
                fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
        }
        return fields;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
        Files.deleteIfExists(directory.resolve("listen.sock"));
        Files.deleteIfExists(directory);
    }
}
