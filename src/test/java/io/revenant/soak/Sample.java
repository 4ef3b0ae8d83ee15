package io.revenant.soak;

import java.util.Locale;

/**
 * One row of the soak's series, taken every sample period while the kills and the load run.
 *
 * @param seconds    since the load and the kills started
 * @param rssKib     the supervisor's VmRSS
 * @param fds        the supervisor's open file descriptors
 * @param threads    the supervisor's threads
 * @param zombies    children of the supervisor still zombies after {@link SoakVerdict#ZOMBIE_GRACE}
 * @param ready      READY workers by the admin {@code /status}; -1 when it did not answer
 * @param workerJvms children of the supervisor that are worker JVMs (spares included)
 * @param kills      {@code POST /chaos/kill} answered 202 so far
 * @param restarts   restarts so far, every cause, by the admin {@code /status}; -1 when it did not answer
 * @param ok         GETs answered 200 so far (fresh-connection and keep-alive clients)
 * @param failed     GETs that failed so far
 */
record Sample(long seconds, long rssKib, long fds, long threads, long zombies, int ready, long workerJvms,
              long kills, long restarts, long ok, long failed) {

    static String header() {
        return String.format(Locale.ROOT, "%6s %8s %5s %7s %7s %5s %4s %6s %8s %9s %7s",
                             "t(s)", "rss-MiB", "fds", "threads", "zombies", "ready", "jvms", "kills", "restarts",
                             "ok", "failed");
    }

    String row() {
        return String.format(Locale.ROOT, "%6d %8.1f %5d %7d %7d %5d %4d %6d %8d %9d %7d",
                             seconds, rssKib / 1024.0, fds, threads, zombies, ready, workerJvms, kills, restarts, ok,
                             failed);
    }
}
