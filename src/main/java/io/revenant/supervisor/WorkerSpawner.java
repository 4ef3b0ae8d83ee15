package io.revenant.supervisor;

import java.io.IOException;

import io.revenant.config.RevenantConfig;

/**
 * What the loop needs to start a worker. The real one starts a JVM ({@link ProcessSpawner});
 * a test gives a fake, so the loop's decisions run without processes or a real clock.
 */
interface WorkerSpawner {

    /**
     * Starts worker {@code id} for {@code slot} (0: a hot spare) with {@code config}'s settings.
     * Its exit must later arrive as an {@link Event.WorkerExited}.
     *
     * @throws IOException when no process could be started
     */
    SpawnedWorker spawn(long id, int slot, boolean spare, RevenantConfig config) throws IOException;

    /** A started worker process, as the loop acts on it. */
    interface SpawnedWorker {

        long pid();

        /** SIGTERM: stop gracefully. */
        void terminate();

        /** SIGKILL. */
        void kill();

        /** SIGQUIT for a thread dump, then SIGCONT: a stopped JVM prints its dump only once continued. */
        void dumpThreads();

        /** Resident set size in KiB; -1 when unknown. */
        long rssKib();

        /** It exited: what was held for it (its pid's registration, its notify connection) is released. */
        void forget();

        /** Tells a warm spare to take {@code slot}; false when it cannot be told (gone, not connected). */
        boolean bind(int slot);
    }
}
