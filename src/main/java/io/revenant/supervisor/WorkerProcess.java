package io.revenant.supervisor;

import java.time.Instant;

import io.revenant.config.RevenantConfig;

/**
 * One worker JVM as the supervisor sees it. Mutable, and only ever touched by the supervisor
 * loop thread. Times are {@code System.nanoTime()} milliseconds; -1 means "not yet / not set".
 */
final class WorkerProcess {

    /** STARTING: booting (a spare: warming up); SPARE: warm, waiting to be bound to a slot. */
    enum State { STARTING, SPARE, READY, STOPPING }

    final long id;
    final Process process;
    /** The configuration it was started with (identity matters: a reload makes a new one). */
    final RevenantConfig config;
    /** The slot it serves; 0 while it is an unbound hot spare. */
    int slot;
    /** Spawned, or bound to a slot if it was a spare: timeout-start-sec counts from here. */
    Instant startedAt;
    long startedAtMs;

    State state = State.STARTING;
    /** Loopback port of the worker's admin listener, from its READY message; -1 before. */
    int adminPort = -1;
    long readyAtMs = -1;
    /** When STOPPING: the moment SIGKILL is sent if the worker is still alive. */
    long killAtMs = -1;
    /** What the supervisor did to end it (stop, watchdog, start timeout), or null. */
    ExitCause.Kind imposed;
    long lastHealthyMs = -1;
    boolean probeInFlight;
    long lastProbeMs = -1;

    WorkerProcess(long id, int slot, Process process, RevenantConfig config, Instant startedAt, long startedAtMs) {
        this.id = id;
        this.slot = slot;
        this.process = process;
        this.config = config;
        this.startedAt = startedAt;
        this.startedAtMs = startedAtMs;
    }

    long pid() {
        return process.pid();
    }

    boolean ready() {
        return state == State.READY;
    }

    boolean spare() {
        return slot == 0;
    }
}
