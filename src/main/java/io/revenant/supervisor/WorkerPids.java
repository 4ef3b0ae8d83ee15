package io.revenant.supervisor;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pids of the workers this supervisor started, and the worker id each speaks for: what the
 * socket lender and the notify socket check the kernel's SO_PEERCRED pid against. The loop adds
 * a pid right after fork and removes it at the worker's exit, when the pid may be reused by a
 * process that is not ours. A worker that connects before the loop added it gets a short grace.
 */
final class WorkerPids {

    /** How long a connecting pid may wait to be added: the loop adds it right after fork. */
    private static final long REGISTRATION_GRACE_MS = 500;

    private final Map<Long, Long> workerByPid = new ConcurrentHashMap<>();

    void add(long pid, long worker) {
        workerByPid.put(pid, worker);
    }

    void remove(long pid) {
        workerByPid.remove(pid);
    }

    /** The worker id of {@code pid}, waiting up to the grace for the loop to add it; empty for a stranger. */
    OptionalLong await(long pid) {
        long deadline = System.nanoTime() + REGISTRATION_GRACE_MS * 1_000_000;
        Long worker;
        while ((worker = workerByPid.get(pid)) == null) {
            if (System.nanoTime() > deadline) {
                return OptionalLong.empty();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(worker);
    }
}
