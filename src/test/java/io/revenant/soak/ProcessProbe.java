package io.revenant.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What /proc says about the supervisor and its children ({@link io.revenant.supervisor.ProcStatus}
 * has the RSS and thread count the supervisor itself reads). Every reading is -1 (or empty) for a
 * process that is gone, since a child can end between the listing and the read.
 */
final class ProcessProbe {

    /** The worker JVM's main class, as the supervisor puts it on the worker's command line. */
    private static final String WORKER_MAIN = "io.revenant.worker.WorkerMain";

    /** One child: its pid, its state letter (R, S, Z, …) and whether it is a worker JVM. */
    record Child(long pid, char state, boolean worker) {
    }

    private ProcessProbe() {
    }

    /** Entries of /proc/pid/fd. */
    static long fds(long pid) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            long n = 0;
            for (Path ignored : fds) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Children of {@code parent} by the PPid of every process in /proc (zombies included, which ProcessHandle may omit). */
    static List<Child> children(long parent) {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                String stat = stat(pid);
                // the fields after the command name, which is in parentheses and may hold spaces: state ppid …
                int close = stat.lastIndexOf(')');
                if (close < 0) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                if (fields.length < 2 || Long.parseLong(fields[1]) != parent) {
                    continue;
                }
                children.add(new Child(pid, fields[0].charAt(0), cmdline(pid).contains(WORKER_MAIN)));
            }
        } catch (IOException e) {
            return children;
        }
        return children;
    }

    /** Whether {@code pid} is still a zombie child of {@code parent}. */
    static boolean zombieOf(long pid, long parent) {
        return children(parent).stream().anyMatch(child -> child.pid() == pid && child.state() == 'Z');
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                              StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
