package io.revenant.supervisor;

import java.nio.charset.StandardCharsets;

import io.revenant.net.Descriptors;

/**
 * What two supervisors of one port say to each other when the new one takes over the old one's
 * listening socket (docs/deploys.md, "The hand-over"). They meet on an abstract Unix socket named
 * after the port: abstract names live in the network namespace, so the supervisors that share a
 * port's namespace (two on one host, two containers joined to one slot) find each other, and
 * nobody else's socket on another namespace's port is in the way.
 *
 * <ol>
 *   <li>the new one connects; the old one checks that the peer runs as its own uid and sends its
 *       listening socket (SCM_RIGHTS);</li>
 *   <li>the new one checks it (listening, same address and port, SO_REUSEPORT), starts its workers
 *       on it and waits until every one is READY (and at least {@code min-ready});</li>
 *   <li>the new one sends {@link #DRAIN}; the old one releases the name and its admin listener,
 *       answers {@link #DRAINING} and stops as on TERM: its workers finish their requests;</li>
 *   <li>the new one binds the admin listener and the name, ready for the next hand-over.</li>
 * </ol>
 * A new one that closes the connection before {@link #DRAIN} (it failed, or was killed) leaves
 * the old one serving, untouched.
 */
final class Handover {

    static final String DRAIN = "DRAIN";
    static final String DRAINING = "DRAINING";
    private static final int MAX_LINE = 256;

    private Handover() {
    }

    /** The abstract socket's name for {@code port}. */
    static String name(int port) {
        return "revenant-handover-" + port;
    }

    static void sendLine(int fd, String line) {
        Descriptors.sendAll(fd, (line + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** One line (without its newline), or null when the peer closed first. */
    static String readLine(int fd) {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (line.length() < MAX_LINE) {
            if (Descriptors.read(fd, one, 1) <= 0) {
                return null;
            }
            if (one[0] == '\n') {
                return line.toString();
            }
            line.append((char) one[0]);
        }
        return line.toString();
    }
}
