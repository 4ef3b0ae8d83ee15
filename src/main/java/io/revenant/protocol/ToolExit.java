package io.revenant.protocol;

/**
 * Exit codes the command-line tools share (stack, k8s, deploy, the training run), sysexits.h
 * numbers declared once instead of per tool. The tools read the supervisor's config with its
 * loader, so a bad file ends them as it ends the supervisor. docs/operations.md has them as a
 * table, which ExitCodeTableTest keeps equal to these constants.
 */
public final class ToolExit {

    /** It ran but did not succeed: a stack not ready in time, a deploy rolled back, a failed training run. */
    public static final int FAILED = 1;
    /** Bad command line (EX_USAGE). */
    public static final int USAGE = 64;
    /** A supervisor to ask did not answer ({@code revenant status}; EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** A file could not be read or written (EX_IOERR). */
    public static final int IO_ERROR = 74;
    /** Invalid application.yaml, with the supervisor's messages (EX_CONFIG). */
    public static final int CONFIG = SupervisorExit.CONFIG;

    private ToolExit() {
    }
}
