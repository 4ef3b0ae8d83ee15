package io.revenant.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Kernel settings the tests must not depend on. */
final class Sysctl {

    static final Path TCP_MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private Sysctl() {
    }

    /**
     * Asserts that net.ipv4.tcp_migrate_req reads 0 in the calling thread's network namespace:
     * the supervisor owns the listening socket, so no connection may depend on the kernel moving
     * it from a closing listener to another, and nothing may switch that on.
     */
    static void assertTcpMigrateReqOff(String where) {
        String value;
        try {
            value = Files.readString(TCP_MIGRATE_REQ).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + TCP_MIGRATE_REQ + " (" + where + "): " + e, e);
        }
        assertThat(TCP_MIGRATE_REQ + " " + where + " (nothing may depend on it)", value, is("0"));
    }
}
