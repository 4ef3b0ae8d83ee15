package io.revenant.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.revenant.testing.Await;
import io.revenant.testing.Http;

/**
 * The supervisor as {@code make run} starts it ({@code java @container/supervisor.jvmopts -jar
 * target/revenant.jar CONFIG}), on a copy of {@code config/application.yaml} with the test's
 * replacements, its output in {@code target/e2e-logs/<name>.log}. {@link #close()} stops it and
 * every worker it ever had, even after a failed test.
 */
final class LocalSupervisor implements AutoCloseable {

    private static final Duration GRACEFUL = Duration.ofSeconds(20);

    final int appPort;
    final int adminPort;
    final Path log;
    private final Process process;
    private final List<ProcessHandle> seen = new ArrayList<>();

    private LocalSupervisor(Process process, int appPort, int adminPort, Path log) {
        this.process = process;
        this.appPort = appPort;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * Starts it on two free ports of {@code [from, to)}: {@code {APP}} and {@code {ADMIN}} in the
     * replacements stand for them. The range lies inside Linux's ephemeral ports, where another
     * program's client connection may take a port between the check and the bind: then the
     * supervisor says it cannot listen, and it is started again on the next ports.
     *
     * @param replace pairs of literal text of config/application.yaml and its replacement
     */
    static LocalSupervisor start(String name, int from, int to, String... replace) throws IOException, InterruptedException {
        int next = from;
        for (int attempt = 1; ; attempt++) {
            int app = freePort(next, to);
            int admin = freePort(app + 1, to);
            next = admin + 1;
            String[] filled = replace.clone();
            for (int i = 1; i < filled.length; i += 2) {
                filled[i] = filled[i].replace("{APP}", Integer.toString(app)).replace("{ADMIN}", Integer.toString(admin));
            }
            LocalSupervisor supervisor = launch(name, app, admin, filled);
            if (supervisor.listening()) {
                return supervisor;
            }
            supervisor.close();
            if (attempt == 3) {
                throw new AssertionError("the supervisor could not listen on 3 pairs of ports:\n" + supervisor.tail());
            }
        }
    }

    /** Waits for the admin listener's start line; false when a port was taken. */
    private boolean listening() {
        return Await.until(() -> "the supervisor's admin listener starts (" + log + ")", Duration.ofSeconds(60), () -> {
            String text = tail();
            if (text.contains("event=admin-listening")) {
                return Optional.of(true);
            }
            if (text.contains("event=admin-unavailable") || text.contains("cannot listen")) {
                return Optional.of(false);
            }
            if (!process.isAlive()) {
                throw new AssertionError("the supervisor exited " + process.exitValue() + ":\n" + text);
            }
            return Optional.empty();
        });
    }

    private static LocalSupervisor launch(String name, int appPort, int adminPort, String... replace) throws IOException {
        String yaml = Files.readString(Stack.ROOT.resolve("config/application.yaml"));
        for (int i = 0; i + 1 < replace.length; i += 2) {
            if (!yaml.contains(replace[i])) {
                throw new IllegalArgumentException("config/application.yaml has no \"" + replace[i] + "\" to replace");
            }
            yaml = yaml.replace(replace[i], replace[i + 1]);
        }
        Path dir = Stack.ROOT.resolve("target/e2e/" + name);
        Files.createDirectories(dir);
        Path config = dir.resolve("application.yaml");
        Files.writeString(config, yaml);
        Path jar = Stack.ROOT.resolve("target/revenant.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": make e2e builds it first (make build)");
        }
        Files.createDirectories(Stack.LOGS);
        Path log = Stack.LOGS.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "@container/supervisor.jvmopts", "-jar", jar.toString(), config.toString())
                .directory(Stack.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        return new LocalSupervisor(process, appPort, adminPort, log);
    }

    /**
     * A port of {@code [from, to)} that nothing holds now. The shared machine gives each helper a
     * range, and the range lies inside Linux's ephemeral ports, where any client connection may
     * hold one for a while: try the next rather than fail.
     */
    private static int freePort(int from, int to) throws IOException {
        for (int port = from; port < to; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                // as the supervisor binds: a client connection on the port is a conflict too
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress("0.0.0.0", port));
                return port;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new IOException("no free port in " + from + "-" + (to - 1));
    }

    /** Waits until {@code /health} answers 200 with every worker READY. */
    LocalSupervisor awaitReady(int workers) {
        Await.slowly("the supervisor's " + workers + " workers are READY (admin port " + adminPort + ")", Duration.ofSeconds(90),
                     () -> {
                         if (!process.isAlive()) {
                             throw new AssertionError("the supervisor exited " + process.exitValue() + ":\n" + tail());
                         }
                         rememberWorkers();
                         return Http.tryGet(adminPort, "/health")
                                 .filter(r -> r.status() == 200 && r.body().contains("\"ready\":" + workers + ",")).isPresent();
                     }, this::tail);
        return this;
    }

    /** Remembers the current workers, so that {@link #close()} can stop one whose supervisor lost it. */
    void rememberWorkers() {
        synchronized (seen) {
            process.descendants().forEach(seen::add);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        rememberWorkers();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(GRACEFUL.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        synchronized (seen) {
            seen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
