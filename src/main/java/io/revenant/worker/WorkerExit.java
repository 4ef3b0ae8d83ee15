package io.revenant.worker;

/**
 * Exit codes of a worker JVM (sysexits.h where one fits). The supervisor reads them to tell a
 * boot failure from a crash; the README's exit-code table repeats them.
 */
public final class WorkerExit {

    /** Stopped on request (SIGTERM), all in-flight requests answered. */
    public static final int STOPPED = 0;
    /** Uncaught error inside the worker. */
    public static final int SOFTWARE = 70;
    /** The public or admin listener could not be bound (port in use, address not local). */
    public static final int UNAVAILABLE = 69;
    /** The listener is bound but SO_REUSEPORT is not on it, so siblings could not share the port. */
    public static final int NO_REUSEPORT = 71;
    /** The environment from the supervisor is missing or malformed. */
    public static final int CONFIG = 78;
    /** Killed on purpose through {@code POST /chaos/kill}. */
    public static final int CHAOS_KILL = 86;
    /** The supervisor was already gone when the worker started. */
    public static final int ORPHANED = 87;

    private WorkerExit() {
    }
}
