package io.revenant.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real supervisor, started with the command {@code make run} uses, its output going to a
 * file (never a pipe the soak could stop reading). {@link #close()} stops it and every worker it
 * ever had, and may run twice (from the driver's finally and its shutdown hook).
 */
final class SoakSupervisor implements AutoCloseable {

    /** SIGTERM first: the supervisor's own graceful stop takes up to timeout-stop-sec (10 s by default). */
    private static final Duration GRACEFUL = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;
    private final Set<Long> seenWorkers = new HashSet<>();

    private SoakSupervisor(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} followed by {@code config}, output appended to {@code log}. */
    static SoakSupervisor start(List<String> command, Path config, Path log) throws IOException {
        List<String> full = new ArrayList<>(command);
        full.add(config.toString());
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new SoakSupervisor(process, log);
    }

    long pid() {
        return process.pid();
    }

    /** The exit code, or -1 while it runs. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** Remembers worker pids as they come, so that {@link #close()} can stop one its supervisor lost. */
    void remember(List<ProcessProbe.Child> children) {
        synchronized (seenWorkers) {
            children.stream().filter(ProcessProbe.Child::worker).forEach(child -> seenWorkers.add(child.pid()));
        }
    }

    /** The last {@code n} lines of its output. */
    String tail(int n) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        synchronized (seenWorkers) {
            seenWorkers.forEach(pid -> ProcessHandle.of(pid).ifPresent(all::add));
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(GRACEFUL.toMillis(), TimeUnit.MILLISECONDS)) {
                System.out.println("soak: the supervisor did not stop within " + GRACEFUL.toSeconds()
                                   + " s of SIGTERM; SIGKILL");
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
