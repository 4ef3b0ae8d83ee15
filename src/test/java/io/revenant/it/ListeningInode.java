package io.revenant.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the kernel says listens on a port: the inodes of the listening TCP sockets in
 * /proc/net/tcp and tcp6 (state 0A), and whether a process holds a descriptor of one, from
 * /proc/PID/fd. A socket's inode is its identity: the same number in every process holding it.
 */
final class ListeningInode {

    private static final String LISTEN = "0A";

    private ListeningInode() {
    }

    /** Inodes of the sockets listening on {@code port} in this network namespace. */
    static List<Long> onPort(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<Long> inodes = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
                    inodes.add(Long.parseLong(fields[9]));
                }
            }
        }
        return inodes;
    }

    /** Whether process {@code pid} holds a descriptor of socket {@code inode}. */
    static boolean heldBy(long pid, long inode) throws IOException {
        String target = "socket:[" + inode + "]";
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }
}
