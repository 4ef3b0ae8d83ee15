package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads facts about a process from /proc (no native call needed). */
final class ProcStatus {

    private ProcStatus() {
    }

    /** Resident set size in KiB, or -1 if the process is gone. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
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
}
