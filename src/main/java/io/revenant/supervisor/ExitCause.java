package io.revenant.supervisor;

import io.revenant.net.Signal;
import io.revenant.protocol.WorkerExit;

/**
 * Why a worker ended, in the terms of the restart table: a clean exit, an exit code, a signal,
 * or something the supervisor did itself (stop, watchdog, start timeout).
 *
 * @param kind   the row of the restart table
 * @param code   the exit code as the JDK reported it
 * @param detail {@code code:70}, {@code signal:KILL}, {@code watchdog}, …
 */
record ExitCause(Kind kind, int code, String detail) {

    /** Rows of the restart table. */
    enum Kind {
        /** Exit code 0, not asked for, after READY. */
        CLEAN,
        /**
         * Exit code 0 before READY, not asked for: a start that never came up (e.g. a JVM given
         * {@code -version}), which counts as a failure like systemd's "protocol" result.
         */
        EARLY_EXIT,
        /** Non-zero exit code. */
        EXIT_CODE,
        /** Killed by a signal the supervisor did not send. */
        SIGNAL,
        /** The chaos endpoint killed it on purpose. */
        CHAOS_KILL,
        /** Did not answer the watchdog probe; the supervisor killed it. */
        WATCHDOG,
        /** Not READY within timeout-start-sec; the supervisor killed it. */
        START_TIMEOUT,
        /** The supervisor stopped it (shutdown, reload, recycling, scale-down). */
        REQUESTED
    }

    /** Whether the row counts as a failure for {@code restart: on-failure}. */
    boolean failure() {
        return kind != Kind.CLEAN && kind != Kind.REQUESTED;
    }

    /**
     * @param exitCode  exit code from the JDK (128+N for signal N)
     * @param imposed   what the supervisor did to the worker, or null if nothing
     * @param wasReady  whether it had reported READY (a spare: SPARE)
     */
    static ExitCause classify(int exitCode, Kind imposed, boolean wasReady) {
        String detail = exitCode > 128 && exitCode < 128 + 65
                ? "signal:" + Signal.name(exitCode - 128)
                : "code:" + exitCode;
        if (imposed != null) {
            return new ExitCause(imposed, exitCode, detail);
        }
        if (exitCode == 0) {
            return new ExitCause(wasReady ? Kind.CLEAN : Kind.EARLY_EXIT, 0, wasReady ? detail : "code:0-before-ready");
        }
        if (exitCode == WorkerExit.CHAOS_KILL) {
            return new ExitCause(Kind.CHAOS_KILL, exitCode, "chaos-kill");
        }
        return new ExitCause(exitCode > 128 ? Kind.SIGNAL : Kind.EXIT_CODE, exitCode, detail);
    }
}
