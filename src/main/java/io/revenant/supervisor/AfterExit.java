package io.revenant.supervisor;

import io.revenant.config.RestartSetting;
import io.revenant.protocol.SupervisorExit;

/**
 * What follows a worker's exit, as a pure function of the exit, the worker's place in the pool,
 * {@code supervisor.restart} and the pool-wide start limit ({@link WorkerExits} carries it out;
 * how long a restart waits is {@link RestartDelay}).
 */
enum AfterExit {
    /** Nothing to do: the supervisor is stopping, the worker was retired, or its end was not a failure. */
    NOTHING,
    /** The slot starts a new worker after its back-off. */
    RESTART,
    /** {@code supervisor.restart} does not restart this cause: the slot stays empty. */
    LEAVE_EMPTY,
    /** A spare failed: the next spare waits restart-sec. */
    RETRY_SPARE,
    /** A successor failed before READY: the old worker keeps serving and the rolling replacement ends. */
    ABANDON_REPLACEMENT,
    /** Over the start limit, and the failed worker never served: the supervisor stops. */
    GIVE_UP_BOOT_FAILURE,
    /** Over the start limit with a worker that had served: the supervisor stops. */
    GIVE_UP_CRASH_LOOP;

    /** Where the worker stood when it exited. */
    enum Place {
        /** The worker serving (or starting for) a slot. */
        SLOT,
        /** A new worker replacing a slot's current one. */
        SUCCESSOR,
        /** An unbound hot spare. */
        SPARE,
        /** Retired by scale-down, or the old worker of a finished replacement. */
        RETIRED
    }

    /**
     * Records a failure restart in {@code limit} where one is counted (so call once per exit).
     *
     * @param wasReady whether the worker had reported READY
     * @param stopping whether the supervisor's own stop is under way
     */
    static AfterExit decide(Place place, ExitCause cause, boolean wasReady, boolean stopping, RestartSetting restart,
                            StartLimit limit, long now) {
        if (stopping || place == Place.RETIRED) {
            return NOTHING;
        }
        if (place == Place.SLOT) {
            if (!RestartPolicy.restarts(restart, cause)) {
                return LEAVE_EMPTY;
            }
            // a deliberate chaos kill says nothing about the pool's health: it does not count
            boolean counts = cause.failure() && cause.kind() != ExitCause.Kind.CHAOS_KILL;
            return counts && limit.recordAndCheck(now) ? giveUp(wasReady) : RESTART;
        }
        if (!cause.failure()) {
            return NOTHING;
        }
        if (limit.recordAndCheck(now)) {
            return giveUp(place == Place.SUCCESSOR && wasReady);
        }
        return place == Place.SPARE ? RETRY_SPARE : ABANDON_REPLACEMENT;
    }

    static AfterExit giveUp(boolean afterServing) {
        return afterServing ? GIVE_UP_CRASH_LOOP : GIVE_UP_BOOT_FAILURE;
    }

    boolean givesUp() {
        return this == GIVE_UP_BOOT_FAILURE || this == GIVE_UP_CRASH_LOOP;
    }

    /** The supervisor's exit code for a give-up. */
    int exitCode() {
        return this == GIVE_UP_CRASH_LOOP ? SupervisorExit.CRASH_LOOP : SupervisorExit.BOOT_FAILURE;
    }
}
