package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads the TCP socket tables of this network namespace from /proc/net (no native call needed). */
final class ProcNet {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String LISTEN = "0A";

    private ProcNet() {
    }

    /** Sockets in LISTEN state on {@code port}, of every process in this network namespace. */
    static int listeners(int port) {
        String suffix = String.format(Locale.ROOT, ":%04X", port);
        int count = 0;
        for (Path table : TABLES) {
            try (var lines = Files.lines(table)) {
                count += (int) lines.skip(1)
                        .map(String::trim)
                        .map(line -> line.split("\\s+"))
                        .filter(fields -> fields.length > 3 && fields[3].equals(LISTEN) && fields[1].endsWith(suffix))
                        .count();
            } catch (IOException e) {
                // no IPv6 (or IPv4) table in this namespace: nothing listens there
            }
        }
        return count;
    }
}
