package io.revenant.stack;

import java.util.List;
import java.util.Locale;

/**
 * The image's one health probe, {@code container/revenant-health}, as the compose healthcheck, the
 * Kubernetes probes and {@code make deploy} run it. It asks the supervisor's admin listener inside
 * the container with bash's {@code /dev/tcp} (the jlink image has no curl); the image's own
 * HEALTHCHECK runs it without arguments and it finds the port itself.
 */
public final class ProbeCommand {

    /** Where the image installs the script. */
    public static final String SCRIPT = "/usr/local/bin/revenant-health";

    /** What the script asks and when it exits 0. */
    public enum Mode {
        /** {@code GET /health} answers 200: at least {@code supervisor.min-ready} workers READY. */
        READY,
        /** {@code GET /health} answers at all (200 or 503): the supervisor itself is up. */
        ALIVE,
        /** Prints the JSON of {@code GET /status}. */
        STATUS
    }

    private ProbeCommand() {
    }

    /** The command line: the script, the mode, the admin port and the host to ask. */
    public static List<String> of(Mode mode, int adminPort, String host) {
        return List.of(SCRIPT, mode.name().toLowerCase(Locale.ROOT), Integer.toString(adminPort), host);
    }
}
