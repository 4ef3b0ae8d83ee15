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
 */
final class NotifySocket implements AutoCloseable {

    private final Path directory;
    private final Path path;
    private final ServerSocketChannel server;

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

    private void accept(Consumer<Event> events) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().name("notify-read").start(() -> read(channel, events));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void read(SocketChannel channel, Consumer<Event> events) {
        try (channel; BufferedReader lines = new BufferedReader(
                new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Map<String, String> fields = parse(line);
                String worker = fields.get("WORKER");
                if (worker != null && worker.matches("\\d+")) {
                    events.accept(new Event.WorkerNotified(Long.parseLong(worker), fields));
                }
            }
        } catch (IOException e) {
            // the worker exited; its exit arrives through onExit()
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
        Files.deleteIfExists(directory);
    }
}
