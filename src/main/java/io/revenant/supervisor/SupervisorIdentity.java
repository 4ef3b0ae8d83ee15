package io.revenant.supervisor;

import java.time.Instant;

/** Who this supervisor is, as workers and /status name it. */
record SupervisorIdentity(String instance, String version, long pid, Instant startedAt) {
}
