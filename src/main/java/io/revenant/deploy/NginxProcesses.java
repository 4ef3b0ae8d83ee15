package io.revenant.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * nginx's processes inside its container, by their titles (nginx rewrites its command line):
 * the pure part of a graceful reload. On {@code nginx -s reload} the master starts new workers
 * with the new configuration and tells the old ones to quit; an old worker then calls itself
 * {@code worker process is shutting down}, answers what it has in flight with
 * {@code Connection: close} and exits. The reload took when every serving worker is new; nginx no
 * longer sends anything to a removed upstream once the old workers are gone.
 *
 * @param serving      pids of the workers that take new connections
 * @param shuttingDown pids of old workers finishing what they have in flight
 */
record NginxProcesses(List<Long> serving, List<Long> shuttingDown) {

    private static final String WORKER = "nginx: worker process";
    private static final String SHUTTING_DOWN = "is shutting down";

    /**
     * The engine's arguments that list the container's processes as {@code <pid> <title>} lines:
     * {@code /proc} through the image's shell, since nginx's image has no {@code ps}.
     */
    static List<String> command(String container) {
        return List.of("exec", container, "sh", "-c",
                "for p in /proc/[0-9]*; do t=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null) && echo \"${p#/proc/} $t\"; done");
    }

    /** Reads the lines of {@link #command}; lines of other processes (the shell itself) are left out. */
    static NginxProcesses parse(String listing) {
        List<Long> serving = new ArrayList<>();
        List<Long> shuttingDown = new ArrayList<>();
        for (String line : listing.lines().toList()) {
            String[] fields = line.strip().split(" ", 2);
            if (fields.length < 2 || !fields[0].matches("\\d+") || !fields[1].startsWith(WORKER)) {
                continue;
            }
            (fields[1].contains(SHUTTING_DOWN) ? shuttingDown : serving).add(Long.parseLong(fields[0]));
        }
        return new NginxProcesses(List.copyOf(serving), List.copyOf(shuttingDown));
    }

    /** The engine's arguments that print the TCP sockets of the container's network namespace. */
    static List<String> socketsCommand(String container) {
        return List.of("exec", container, "cat", "/proc/net/tcp", "/proc/net/tcp6");
    }

    /**
     * Inodes of the clients' connections to nginx ({@code /proc/net/tcp} and {@code tcp6} lines:
     * established, local port {@code port}), so that a later look tells whether those very
     * connections have been closed. nginx's own connections to the app containers have other local ports.
     */
    static Set<Long> clientConnections(String procNetTcp, int port) {
        String local = String.format(":%04X", port);
        Set<Long> inodes = new TreeSet<>();
        for (String line : procNetTcp.lines().toList()) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length > 9 && fields[1].endsWith(local) && fields[3].equals("01") && fields[9].matches("\\d+")) {
                inodes.add(Long.parseLong(fields[9]));
            }
        }
        return inodes;
    }

    /** A reload from {@code before} took: workers serve and none of them is one of before's. */
    boolean reloadedSince(NginxProcesses before) {
        return !serving.isEmpty() && serving.stream().noneMatch(before.serving()::contains);
    }

    /** Every worker that served in {@code before} has exited: nothing runs the old configuration. */
    boolean drainedSince(NginxProcesses before) {
        return before.serving().stream().noneMatch(pid -> serving.contains(pid) || shuttingDown.contains(pid));
    }
}
