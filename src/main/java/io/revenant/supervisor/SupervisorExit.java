package io.revenant.supervisor;

/** Exit codes of the supervisor (sysexits.h where one fits); the README's table repeats them. */
final class SupervisorExit {

    /** Stopped on request (TERM/INT), or every worker exited cleanly and none is restarted. */
    static final int CLEAN = 0;
    /** Every worker is gone after a failure and the restart policy restarts none. */
    static final int WORKERS_FAILED = 1;
    /** Start limit hit while workers failed to boot (never READY), or the port cannot be bound. */
    static final int BOOT_FAILURE = 69;
    /** Internal error of the supervisor. */
    static final int SOFTWARE = 70;
    /** Start limit hit by workers that crashed after serving. */
    static final int CRASH_LOOP = 75;
    /** Invalid configuration at startup. */
    static final int CONFIG = 78;

    private SupervisorExit() {
    }
}
