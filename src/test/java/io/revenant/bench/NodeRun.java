package io.revenant.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.testing.Http;

/**
 * The Node.js cluster reference ({@code ../shared/reference/node-cluster}, its README): one
 * primary that forks {@code WORKERS} express workers on one port and re-forks any that exits; the
 * primary keeps the listening handle (round-robin scheduling) and passes each connection to a
 * worker. Copied to {@code target/node-ref} and {@code npm install}ed once (the shared folder may
 * be read-only). {@link #close()} stops the primary and every worker.
 */
final class NodeRun implements AutoCloseable {

    private static final Pattern ANSWER = Pattern.compile("worker \\[(\\d+)] of server \\[([^\\]]+)]");
    private static final Path COPY = Path.of("target/node-ref");

    /** Who answered a Node {@code GET /} ({@code server/worker}). */
    static final Function<String, Optional<String>> IDENTITY = body -> {
        Matcher m = ANSWER.matcher(body);
        return m.find() ? Optional.of(m.group(2) + "/" + m.group(1)) : Optional.empty();
    };

    final int port;
    final int workers;
    private final Process process;

    private NodeRun(Process process, int port, int workers) {
        this.process = process;
        this.port = port;
        this.workers = workers;
    }

    /** The copy with its node_modules, made on first use; the source folder is never written. */
    static Path prepare(Path source) throws IOException, InterruptedException {
        if (Files.isDirectory(COPY.resolve("node_modules/express")) && Files.exists(COPY.resolve("index.js"))) {
            return COPY;
        }
        if (!Files.exists(source.resolve("index.js"))) {
            throw new IOException("no Node.js reference at " + source.toAbsolutePath() + " (bench.node-ref)");
        }
        Files.createDirectories(COPY);
        for (String file : List.of("index.js", "package.json")) {
            Files.copy(source.resolve(file), COPY.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = Path.of("target/bench/logs/npm-install.log");
        Files.createDirectories(log.getParent());
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(COPY.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(3, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IOException("npm install in " + COPY + " failed; see " + log);
        }
        return COPY;
    }

    /** Starts {@code PORT=port HOST=127.0.0.1 WORKERS=workers node index.js} in the prepared copy. */
    static NodeRun start(String name, Path source, int port, int workers) throws IOException, InterruptedException {
        Path dir = prepare(source);
        ProcessBuilder builder = new ProcessBuilder("node", "index.js").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of("target/bench/logs", "node-" + name + ".log").toAbsolutePath().toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("WORKERS", Integer.toString(workers));
        return new NodeRun(builder.start(), port, workers);
    }

    long pid() {
        return process.pid();
    }

    /** Pids of the primary's live workers. */
    List<Long> workerPids() {
        return process.toHandle().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }

    /** The worker id of one fresh-connection {@code GET /}, empty when it was not answered. */
    Optional<Long> answeringWorker() {
        return answeringWorker(Duration.ofMillis(2000));
    }

    /** The same with its own timeout: a poll after a kill, where the primary may hold a request for the dead worker. */
    Optional<Long> answeringWorker(Duration timeout) {
        try {
            Http.Response answer = Http.request(port, "GET", "/", Http.ACCEPT_JSON, timeout);
            Matcher m = ANSWER.matcher(answer.body());
            return answer.status() == 200 && m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Waits until {@code workers} workers run and answer (each seen once through the primary's round robin). */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Long> seen = new HashSet<>();
        while (seen.size() < workers || workerPids().size() != workers) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node exited " + process.exitValue() + "; see target/bench/logs/");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Node.js reference: " + seen.size() + " of " + workers
                                                + " workers answered within " + timeout.toSeconds() + " s");
            }
            answeringWorker().ifPresent(seen::add);
            if (seen.size() < workers) {
                Thread.sleep(5);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.toHandle().children().toList();
        process.destroy();   // SIGTERM: the primary stops its workers
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
