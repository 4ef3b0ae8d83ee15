package io.revenant.supervisor;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.revenant.config.RevenantConfig;

/**
 * One worker JVM as the supervisor sees it. Mutable, and only ever touched by the supervisor
 * loop thread. Times are the loop clock's milliseconds; -1 means "not yet".
 */
final class WorkerProcess {

    /** STARTING: booting (a spare: warming up); SPARE: warm, waiting to be bound to a slot. */
    enum State { STARTING, SPARE, READY, STOPPING }

    /** The only moves a worker makes; anything else is a bug in the loop, not a worker's doing. */
    private static final Map<State, Set<State>> EDGES = Map.of(
            // READY=1 (a bound worker), SPARE=1 (a spare warmed up), or a stop/timeout
            State.STARTING, Set.of(State.READY, State.SPARE, State.STOPPING),
            // BIND SLOT=n: the spare adopts the socket and reports READY as a slot's worker
            State.SPARE, Set.of(State.STARTING, State.STOPPING),
            // a stop, a watchdog timeout
            State.READY, Set.of(State.STOPPING),
            // only its exit ends it
            State.STOPPING, Set.of());

    final long id;
    final WorkerSpawner.SpawnedWorker process;
    /** The configuration it was started with (identity matters: a reload makes a new one). */
    final RevenantConfig config;
    /** The slot it serves; 0 while it is an unbound hot spare. */
    int slot;
    /** Spawned, or bound to a slot if it was a spare: timeout-start-sec counts from here. */
    Instant startedAt;
    long startedAtMs;

    /** Started as a spare and then bound to a slot. */
    boolean bound;

    private State state = State.STARTING;
    /** Loopback port of the worker's admin listener, from its READY message; -1 before. */
    int adminPort = -1;
    long readyAtMs = -1;
    /** When STOPPING: the moment SIGKILL is sent if the worker is still alive; Long.MAX_VALUE once sent. */
    long killAtMs = -1;
    /** What the supervisor did to end it (stop, watchdog, start timeout), or null. */
    ExitCause.Kind imposed;
    long lastHealthyMs = -1;
    boolean probeInFlight;
    long lastProbeMs = -1;

    WorkerProcess(long id, int slot, WorkerSpawner.SpawnedWorker process, RevenantConfig config, Instant startedAt,
                  long startedAtMs) {
        this.id = id;
        this.slot = slot;
        this.process = process;
        this.config = config;
        this.startedAt = startedAt;
        this.startedAtMs = startedAtMs;
    }

    State state() {
        return state;
    }

    /** @throws IllegalStateException for a move the state table does not allow */
    void moveTo(State next) {
        if (!EDGES.get(state).contains(next)) {
            throw new IllegalStateException("worker " + id + ": " + state + " -> " + next + " is not a move a worker makes");
        }
        state = next;
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

    /** A spare bound to a slot that has not yet reported READY on the public socket. */
    boolean adopting() {
        return bound && state == State.STARTING;
    }

    boolean wasReady() {
        return readyAtMs >= 0;
    }
}
