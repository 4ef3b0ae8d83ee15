package io.revenant.dev;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.revenant.net.Processes;
import io.revenant.net.Signal;

/**
 * The supervisor the dev loop runs: started as a child process with its output read line by
 * line, shown through {@link OutputFilter} and, for event lines, queued for {@link #await}. A
 * reload is its ordinary SIGHUP: every worker replaced start-new-then-stop-old, one at a time.
 */
final class DevSupervisor implements AutoCloseable {

    /** Longer than a whole graceful stop (timeout-stop-sec defaults to 10 s). */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SIGNAL_GRACE = Duration.ofSeconds(1);

    private final Process process;
    /** Bounded: between two saves nobody reads it, and a crash loop can log for days; the oldest matter least. */
    private final BlockingQueue<Map<String, String>> events = new LinkedBlockingQueue<>(10_000);
    private volatile Map<String, String> startLine = Map.of();
    /** It logged supervisor-stop: a signal from the terminal (Ctrl-C) reached it already. */
    private volatile boolean stopping;

    private DevSupervisor(Process process) {
        this.process = process;
    }

    /** Starts {@code command} and a daemon thread that copies its output to {@code out}. */
    static DevSupervisor start(List<String> command, PrintStream out, boolean verbose) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        DevSupervisor supervisor = new DevSupervisor(process);
        Thread.ofPlatform().daemon().name("dev-supervisor-output").start(() -> supervisor.copy(out, verbose));
        return supervisor;
    }

    private void copy(PrintStream out, boolean verbose) {
        boolean aotNoted = false;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Optional<Map<String, String>> fields = EventFields.parse(line);
                if (verbose || !OutputFilter.hidden(line, fields)) {
                    out.println(line);
                } else if (OutputFilter.aotNotice(line) && !aotNoted) {
                    aotNoted = true;
                    out.println("dev: the workers start without their AOT cache (worker.jvm-options -XX:AOTCache):"
                                + " a cache fits one jar, and each build is a new one");
                }
                fields.ifPresent(event -> {
                    if ("supervisor-start".equals(event.get("event"))) {
                        startLine = event;
                    }
                    if ("supervisor-stop".equals(event.get("event"))) {
                        stopping = true;
                    }
                    while (!events.offer(event)) {
                        events.poll();
                    }
                });
            }
        } catch (IOException e) {
            // the pipe broke: the process is gone, which await() reports
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** A field of the supervisor's start line ({@code port}, {@code workers}), or "?" before it. */
    String started(String key) {
        return startLine.getOrDefault(key, "?");
    }

    /** Forgets the events so far: the next {@link #await} sees only what follows. */
    void clearEvents() {
        events.clear();
    }

    /** SIGHUP: reload the config file and replace every worker, one at a time. */
    void reload() {
        Processes.signal(process.pid(), Signal.HUP);
    }

    /** Feeds the supervisor's events to {@code rollout} until it is done or failed, or {@code timeout} passes. */
    Rollout.Outcome await(Rollout rollout, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, String> event = events.poll(200, TimeUnit.MILLISECONDS);
            if (event != null) {
                Rollout.Outcome outcome = rollout.observe(event);
                if (!(outcome instanceof Rollout.Outcome.Pending)) {
                    return outcome;
                }
            } else if (!process.isAlive()) {
                return rollout.observe(Map.of("event", "supervisor-exit", "code", String.valueOf(process.exitValue())));
            }
        }
        return new Rollout.Outcome.Failed(0, 0, "no answer from the supervisor within " + timeout.toSeconds() + " s");
    }

    /** Exit code of a supervisor that has stopped. */
    int exitCode() {
        return process.exitValue();
    }

    /**
     * A graceful stop (SIGTERM); SIGKILL only if it outlasts {@link #STOP_TIMEOUT}. Ctrl-C reaches
     * the supervisor too (same process group), and a second signal would mean "stop now" to it,
     * so the TERM is sent only if it has not begun stopping within {@link #SIGNAL_GRACE}.
     */
    @Override
    public void close() throws InterruptedException {
        long grace = System.nanoTime() + SIGNAL_GRACE.toNanos();
        while (!stopping && System.nanoTime() < grace && !process.waitFor(50, TimeUnit.MILLISECONDS)) {
            // waiting for the supervisor's own supervisor-stop line
        }
        if (process.isAlive()) {
            if (!stopping) {
                process.destroy();
            }
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
