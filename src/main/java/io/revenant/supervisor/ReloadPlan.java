package io.revenant.supervisor;

import io.revenant.config.RevenantConfig;

/**
 * What a reload does, decided from the running and the freshly read configuration alone.
 *
 * @param next        the configuration to apply (server.* kept from the running one)
 * @param apply       false when nothing changed (an edit that only touched comments)
 * @param replaceAll  replace every worker, one at a time: always for SIGHUP and /reload, and for
 *                    a file edit that changed what workers see
 * @param serverKept  server.* changed and was kept: the socket stays for the supervisor's life
 * @param adminLater  admin.* changed and takes effect at the next start
 */
record ReloadPlan(RevenantConfig next, boolean apply, boolean replaceAll, boolean serverKept, boolean adminLater) {

    /** {@code origin}: "file" for an edit the watcher saw; anything else is an explicit request. */
    static ReloadPlan of(RevenantConfig running, RevenantConfig loaded, String origin) {
        boolean serverKept = !loaded.server().equals(running.server());
        RevenantConfig next = serverKept ? loaded.withServer(running.server()) : loaded;
        boolean fromFile = origin.equals("file");
        boolean apply = !fromFile || !next.equals(running);
        boolean replaceAll = !fromFile || !sameForWorkers(next, running);
        return new ReloadPlan(next, apply, replaceAll, serverKept, !next.admin().equals(running.admin()));
    }

    /** Whether a worker started under {@code a} runs exactly as one started under {@code b}. */
    static boolean sameForWorkers(RevenantConfig a, RevenantConfig b) {
        return a.server().equals(b.server())
                && a.chaos().equals(b.chaos())
                && a.worker().equals(b.worker())
                && a.supervisor().timeoutStop().equals(b.supervisor().timeoutStop());
    }
}
