package io.revenant.supervisor;

import java.util.Set;

import io.revenant.net.Processes;

/**
 * PID 1's chore: collect orphaned descendants that were re-parented to the supervisor and have
 * ended, so they do not stay zombies. Only zombies whose pid the JDK did not start are reaped;
 * a {@code waitpid(-1)} would steal the exit status of the workers from the JDK's own reaper.
 */
final class OrphanReaper {

    private OrphanReaper() {
    }

    static void reap(Set<Long> jdkStarted, EventLog log) {
        ProcessHandle.current().children()
                .map(ProcessHandle::pid)
                .filter(pid -> !jdkStarted.contains(pid) && ProcStatus.zombie(pid))
                .forEach(pid -> {
                    int status = Processes.reapIfExited(pid);
                    if (status >= 0) {
                        log.event("orphan-reaped", "pid", pid, "wait-status", status);
                    }
                });
    }
}
