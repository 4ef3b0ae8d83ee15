package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.revenant.config.TcpMigrateSetting;

/**
 * {@code net.ipv4.tcp_migrate_req=1} makes the kernel move connections queued on a closing
 * SO_REUSEPORT listener to a sibling instead of resetting them. The sysctl is per network
 * namespace; by default ({@code auto}) the supervisor sets it only as PID 1 (a container
 * entrypoint, normally alone in its network namespace), never on a shared host.
 */
final class TcpMigrate {

    private static final Path SYSCTL = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private TcpMigrate() {
    }

    /** @return whether the sysctl is 1 afterwards */
    static boolean enable(TcpMigrateSetting setting, boolean pid1, EventLog log) {
        boolean mayWrite = setting == TcpMigrateSetting.TRUE || (setting == TcpMigrateSetting.AUTO && pid1);
        try {
            if (Files.readString(SYSCTL).trim().equals("1")) {
                log.event("tcp-migrate-req", "value", 1);
                return true;
            }
            if (mayWrite) {
                Files.writeString(SYSCTL, "1");
                log.event("tcp-migrate-req", "value", 1, "set", true);
                return true;
            }
        } catch (IOException e) {
            // read-only /proc/sys (unprivileged container) or an old kernel: fall through
        }
        log.event("tcp-migrate-req", "value", 0, "message",
                  "connections queued on a closing worker may be reset; set net.ipv4.tcp_migrate_req=1"
                  + " (compose: sysctls) to move them to sibling workers");
        return false;
    }
}
