package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code net.ipv4.tcp_migrate_req=1} makes the kernel move connections queued on a closing
 * SO_REUSEPORT listener to a sibling instead of resetting them. The sysctl is per network
 * namespace; the supervisor sets it only as PID 1 (its own container), never on a shared host.
 */
final class TcpMigrate {

    private static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private TcpMigrate() {
    }

    static void enable(boolean ownNamespace, EventLog log) {
        try {
            if (Files.readString(SYSCTL).trim().equals("1")) {
                log.event("tcp-migrate-req", "value", 1);
                return;
            }
            if (ownNamespace) {
                Files.writeString(SYSCTL, "1");
                log.event("tcp-migrate-req", "value", 1, "set", true);
                return;
            }
        } catch (IOException e) {
            // read-only /proc/sys (unprivileged container) or an old kernel: fall through
        }
        log.event("tcp-migrate-req", "value", 0, "message",
                  "connections queued on a closing worker may be reset; set net.ipv4.tcp_migrate_req=1"
                  + " (compose: sysctls) to move them to sibling workers");
    }
}
