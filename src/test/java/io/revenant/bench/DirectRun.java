package io.revenant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import io.revenant.testing.Http;

/**
 * The real supervisor started as {@code make run} starts it (same command, same working
 * directory, so the workers' classpath matches their AOT cache), on the bench's own ports, with
 * its output in {@code target/bench/logs/}. {@link #close()} stops it and every worker.
 */
final class DirectRun implements AutoCloseable {

    /** One slot of the admin {@code /status}; slot 0 is a hot spare ("spare", "spare-starting"). */
    record Slot(int slot, long worker, long pid, String state) {
    }

    final int port;
    final int admin;
    final int workers;
    final int spares;
    final long startedNanos;
    private final Process process;

    private DirectRun(Process process, int port, int admin, int workers, int spares, long startedNanos) {
        this.process = process;
        this.spares = spares;
        this.port = port;
        this.admin = admin;
        this.workers = workers;
        this.startedNanos = startedNanos;
    }

    /**
     * Writes a config for {@code workers} workers and {@code spares} hot spares with
     * {@code jvmOptions} and starts
     * {@code supervisor} (the java command up to the config path) on it.
     */
    static DirectRun start(String name, List<String> supervisor, int port, int admin, int workers,
                           List<String> jvmOptions, int spares) throws IOException {
        Path dir = Path.of("target/bench/run");
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("target/bench/logs"));
        StringBuilder yaml = new StringBuilder()
                .append("# written by io.revenant.bench.BenchMain\n")
                .append("server: {host: 127.0.0.1, port: ").append(port).append("}\n")
                .append("supervisor: {workers: ").append(workers)
                // restart at once, always: the respawn rows measure a JVM start, not the back-off
                .append(", restart: always, restart-sec: 0, restart-steps: 0, start-limit-burst: 1000")
                .append(", spare: ").append(spares).append("}\n")
                .append("admin: {host: 127.0.0.1, port: ").append(admin).append("}\n")
                .append("chaos: {kill-endpoint: true}\n")
                .append("worker:\n  jvm-options:").append(jvmOptions.isEmpty() ? " []" : "").append('\n');
        for (String option : jvmOptions) {
            yaml.append("    - \"").append(option.replace("\"", "\\\"")).append("\"\n");
        }
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        List<String> command = new ArrayList<>(supervisor);
        command.add(config.toString());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target/bench/logs", name + ".log").toFile()).start();
        return new DirectRun(process, port, admin, workers, spares, started);
    }

    long pid() {
        return process.pid();
    }

    /** The slots of the admin {@code /status}; empty while it does not answer. */
    List<Slot> slots() {
        List<Slot> slots = new ArrayList<>();
        try {
            for (JsonObject slot : Http.request(admin, "GET", "/status", Http.ACCEPT_JSON, Duration.ofMillis(2000)).slots()) {
                slots.add(new Slot(slot.getInt("slot"), slot.getJsonNumber("worker").longValue(),
                                   slot.getJsonNumber("pid").longValue(), slot.getString("state")));
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return slots;
    }

    /** All {@code workers} slots READY, none of them running a worker id in {@code not}. */
    boolean allReady(List<Long> not) {
        List<Slot> slots = slots().stream().filter(s -> s.slot() > 0).toList();
        return slots.size() == workers
               && slots.stream().allMatch(s -> s.state().equals("ready") && !not.contains(s.worker()));
    }

    /** Every worker READY and every hot spare warm: the state before a kill. */
    boolean settled() {
        return settled(slots());
    }

    /** {@link #settled()} of slots already read. */
    boolean settled(List<Slot> slots) {
        List<Slot> workerSlots = slots.stream().filter(s -> s.slot() > 0).toList();
        return workerSlots.size() == workers && workerSlots.stream().allMatch(s -> s.state().equals("ready"))
               && slots.stream().filter(s -> s.state().equals("spare")).count() == spares;
    }

    /** Waits until every worker is READY (and every spare warm); the milliseconds since the process was started. */
    double awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!settled()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the supervisor exited " + process.exitValue()
                                                + "; see target/bench/logs/");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("workers not READY within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(5);
        }
        return (System.nanoTime() - startedNanos) / 1e6;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
