package io.revenant.supervisor;

import java.time.Duration;

import io.revenant.config.SupervisorConfig;

/**
 * How long a slot waits before its next worker, and how many failures in a row it has now: the
 * back-off half of the restart decision, as a pure function (the restart table is
 * {@link RestartPolicy}; the start limit, pool-wide, is {@link StartLimit}).
 *
 * @param failures consecutive failures of the slot after this exit
 * @param delay    wait before the next start
 */
record RestartDelay(int failures, Duration delay) {

    /**
     * @param stayedUp     the worker was READY for at least restart-reset-sec: a fresh start of the count
     * @param spareWaiting a warm spare is idle: the slot's first failure takes it at once, since
     *                     its JVM start is already paid for; a slot that keeps failing waits its
     *                     back-off, spare or not
     */
    static RestartDelay after(ExitCause cause, boolean stayedUp, int failuresBefore, boolean spareWaiting,
                              SupervisorConfig sup) {
        if (cause.kind() == ExitCause.Kind.CHAOS_KILL) {
            // a deliberate kill says nothing about the worker's health: no back-off
            return new RestartDelay(failuresBefore, Duration.ZERO);
        }
        int failures = !cause.failure() || stayedUp ? 1 : failuresBefore + 1;
        if (spareWaiting && failures == 1) {
            return new RestartDelay(failures, Duration.ZERO);
        }
        return new RestartDelay(failures, Backoff.delay(sup.restartSec(), sup.restartMaxDelay(), sup.restartSteps(), failures));
    }
}
