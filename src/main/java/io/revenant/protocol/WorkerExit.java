package io.revenant.protocol;

/**
 * Exit codes of a worker JVM (sysexits.h where one fits). The supervisor reads them to tell a
 * boot failure from a crash; the exit-code table in docs/operations.md repeats them, and
 * ExitCodeTableTest keeps it true.
 */
public final class WorkerExit {

    /** Stopped on request (SIGTERM), all in-flight requests answered. */
    public static final int STOPPED = 0;
    /** Uncaught error inside the worker. */
    public static final int SOFTWARE = 70;
    /** Helidon's loopback listeners did not start, or the admin listener does not answer. */
    public static final int UNAVAILABLE = 69;
    /** The lent listening socket lacks SO_REUSEPORT, so a second supervisor could not join the port. */
    public static final int NO_REUSEPORT = 71;
    /**
     * No listening socket from the supervisor, or not its public listener: none received, not the
     * inode the supervisor named, not listening, another port, or the swap under Helidon failed.
     */
    public static final int NO_SOCKET = 72;
    /** The environment from the supervisor is missing or malformed. */
    public static final int CONFIG = 78;
    /** Killed on purpose through {@code POST /chaos/kill}. */
    public static final int CHAOS_KILL = 86;
    /** The supervisor was already gone when the worker started. */
    public static final int ORPHANED = 87;

    private WorkerExit() {
    }

    /** A word for the exit codes above that are the worker's own, for the supervisor's log; empty otherwise. */
    public static String meaning(int code) {
        return switch (code) {
            case SOFTWARE -> "software-error";
            case UNAVAILABLE -> "listeners-unavailable";
            case NO_REUSEPORT -> "no-reuseport";
            case NO_SOCKET -> "no-listening-socket";
            case CONFIG -> "bad-environment";
            case CHAOS_KILL -> "chaos-kill";
            case ORPHANED -> "orphaned";
            default -> "";
        };
    }
}
