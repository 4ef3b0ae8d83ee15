package io.revenant.protocol;

/**
 * Exit codes of the supervisor (sysexits.h where one fits); docs/operations.md's table repeats
 * them, and ExitCodeTableTest holds the two together, so only codes the supervisor exits with
 * belong here (the tools' are in {@link ToolExit}).
 */
public final class SupervisorExit {

    /** Stopped on request (TERM/INT), or every worker exited cleanly and none is restarted. */
    public static final int CLEAN = 0;
    /** Every worker is gone after a failure and the restart policy restarts none. */
    public static final int WORKERS_FAILED = 1;
    /** Start limit hit while workers failed to boot (never READY), or the port cannot be bound. */
    public static final int BOOT_FAILURE = 69;
    /** Internal error of the supervisor. */
    public static final int SOFTWARE = 70;
    /** Start limit hit by workers that crashed after serving. */
    public static final int CRASH_LOOP = 75;
    /** Invalid configuration at startup. */
    public static final int CONFIG = 78;

    private SupervisorExit() {
    }
}
