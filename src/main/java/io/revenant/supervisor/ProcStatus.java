package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads facts about a process from /proc (no native call needed). Public for the bench and the
 * soak, which measure the same figures the supervisor reports rather than a copy of the reader.
 */
public final class ProcStatus {

    private ProcStatus() {
    }

    /** Resident set size (VmRSS) in KiB, or -1 if the process is gone. */
    public static long rssKib(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Threads of the process (the Threads: line), or -1 if it is gone. */
    public static long threads(long pid) {
        return statusField(pid, "Threads:");
    }

    /** True if the process exists and is a zombie (ended, not yet reaped). */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the state follows the command name, which is in parentheses and may contain spaces
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** The number on the {@code name} line of /proc/pid/status, or -1 (gone, or no such line). */
    private static long statusField(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
