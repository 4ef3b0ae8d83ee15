package io.revenant.deploy;

import java.util.Set;
import java.util.TreeSet;

/**
 * nginx's worker processes in its container, read from their process titles: after
 * {@code nginx -s reload} the master starts new workers with the new configuration, and the old
 * ones, titled "worker process is shutting down", finish their requests in flight and exit.
 *
 * @param serving      pids of workers on the current configuration
 * @param shuttingDown pids of workers of an earlier configuration that still finish requests
 */
record NginxWorkers(Set<Long> serving, Set<Long> shuttingDown) {

    /** Prints {@code pid title} for every process of the container (its image has no ps). */
    static final String LIST_SCRIPT =
            "for d in /proc/[0-9]*; do printf '%s %s\\n' \"${d#/proc/}\" \"$(tr '\\0' ' ' < \"$d/cmdline\" 2>/dev/null)\"; done";

    static NginxWorkers parse(String listing) {
        Set<Long> serving = new TreeSet<>();
        Set<Long> shuttingDown = new TreeSet<>();
        for (String line : listing.lines().toList()) {
            String[] pidAndTitle = line.strip().split(" ", 2);
            if (pidAndTitle.length < 2 || !pidAndTitle[0].chars().allMatch(Character::isDigit)
                    || !pidAndTitle[1].startsWith("nginx: worker process")) {
                continue;
            }
            long pid = Long.parseLong(pidAndTitle[0]);
            (pidAndTitle[1].contains("shutting down") ? shuttingDown : serving).add(pid);
        }
        return new NginxWorkers(Set.copyOf(serving), Set.copyOf(shuttingDown));
    }

    /** A reload issued when {@code before} was seen has taken effect and every old worker is gone. */
    boolean replaced(NginxWorkers before) {
        return !serving.isEmpty() && serving.stream().noneMatch(before.serving()::contains) && shuttingDown.isEmpty();
    }

    /** A reload issued when {@code before} was seen has taken effect: new workers serve. */
    boolean reloaded(NginxWorkers before) {
        return !serving.isEmpty() && serving.stream().noneMatch(before.serving()::contains);
    }
}
