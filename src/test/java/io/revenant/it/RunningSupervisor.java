package io.revenant.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.revenant.supervisor.SupervisorMain;
import io.revenant.testing.Await;
import io.revenant.testing.FreePorts;
import io.revenant.testing.Http;

/**
 * The real entrypoint, started as its own process exactly as {@code make run} does (same JVM,
 * same classpath), with its output captured for assertions and copied to
 * {@code target/it-logs/<name>.log}. {@link #close()} removes it and every worker, even after a
 * failed test.
 */
final class RunningSupervisor implements AutoCloseable {

    /**
     * Deadline for a worker JVM to start while the fresh-connection load saturates the machine:
     * 14-15 s each was measured on 2 cores shared with other builds.
     */
    static final Duration START_UNDER_LOAD = Duration.ofSeconds(60);

    final int port;
    final int adminPort;
    final Path config;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Set<Long> everyWorkerPid = new HashSet<>();

    private RunningSupervisor(Process process, Path config, int port, int adminPort, Path log) throws IOException {
        this.process = process;
        this.config = config;
        this.port = port;
        this.adminPort = adminPort;
        if (log == null) {
            // nobody reads: the pipe fills up, as behind `| sleep` or a stuck log shipper
            return;
        }
        PrintWriter copy = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    copy.println(line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // process gone
            } finally {
                copy.close();
            }
        });
    }

    /** A free port for a test's processes ({@link FreePorts}). */
    static int freePort() throws IOException {
        return FreePorts.other();
    }

    /** Writes {@code yaml} (with the placeholders {@code PORT} and {@code ADMIN}) and starts the supervisor. */
    static RunningSupervisor start(String name, Path dir, String yaml) throws IOException {
        return start(name, dir, yaml, List.of());
    }

    /** As {@link #start(String, Path, String)}, with options for the supervisor's own JVM (e.g. make run's -Xmx16m). */
    static RunningSupervisor startWithJvmOptions(String name, Path dir, String yaml, List<String> jvmOptions)
            throws IOException {
        return launch(name, dir, yaml, List.of(), System.getProperty("java.class.path"), jvmOptions);
    }

    /** As {@link #start(String, Path, String)}, with {@code wrapper} (e.g. unshare) before the java command. */
    static RunningSupervisor start(String name, Path dir, String yaml, List<String> wrapper) throws IOException {
        return start(name, dir, yaml, wrapper, System.getProperty("java.class.path"));
    }

    /** As above, on {@code classpath} instead of this JVM's (e.g. copies another user can read). */
    static RunningSupervisor start(String name, Path dir, String yaml, List<String> wrapper, String classpath)
            throws IOException {
        return launch(name, dir, yaml, wrapper, classpath, List.of());
    }

    /**
     * As {@link #start(String, Path, String)}, but nobody ever reads its output: the pipe fills
     * up after 64 KiB, as behind {@code java -jar revenant.jar | sleep 240}. The test can only
     * watch it through the admin listener.
     */
    static RunningSupervisor startWithUnreadOutput(Path dir, String yaml) throws IOException {
        return launch(null, dir, yaml, List.of(), System.getProperty("java.class.path"), List.of());
    }

    /**
     * A second supervisor on {@code first}'s port and admin port, with its own copy of {@code yaml}
     * in {@code dir}: in the same network namespace, it takes the socket over from {@code first}.
     */
    static RunningSupervisor startBeside(RunningSupervisor first, String name, Path dir, String yaml)
            throws IOException {
        return launch(name, dir, yaml, List.of(), System.getProperty("java.class.path"), List.of(), first.port,
                      first.adminPort);
    }

    /** @param name the log's name under target/it-logs, or null to leave the output unread */
    private static RunningSupervisor launch(String name, Path dir, String yaml, List<String> wrapper, String classpath,
                                            List<String> jvmOptions) throws IOException {
        int port = FreePorts.other();
        return launch(name, dir, yaml, wrapper, classpath, jvmOptions, port, FreePorts.other(port));
    }

    private static RunningSupervisor launch(String name, Path dir, String yaml, List<String> wrapper, String classpath,
                                            List<String> jvmOptions, int port, int admin) throws IOException {
        Path config = dir.resolve("application.yaml");
        Files.writeString(config, yaml.replace("PORT", Integer.toString(port)).replace("ADMIN", Integer.toString(admin)));
        Path logs = Path.of("target", "it-logs");
        Files.createDirectories(logs);
        List<String> java = new ArrayList<>(java(classpath, SupervisorMain.class.getName(), config.toString()));
        java.addAll(1, jvmOptions);
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(java);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new RunningSupervisor(process, config, port, admin, name == null ? null : logs.resolve(name + ".log"));
    }

    /**
     * The java command of this JVM (same binary) for {@code mainClass} on {@code classpath}, as
     * the supervisor itself starts workers.
     */
    static List<String> java(String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                       "--enable-native-access=ALL-UNNAMED", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** SIGTERM, leaving our end of its output pipe open (Process.destroy() would close it). */
    void terminate() {
        process.toHandle().destroy();
    }

    Process process() {
        return process;
    }

    /** Rewrites the config file in place, as a user editing it would. */
    void rewrite(String yaml) throws IOException {
        Files.writeString(config, yaml.replace("PORT", Integer.toString(port)).replace("ADMIN", Integer.toString(adminPort)));
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String output() {
        return String.join("\n", lines());
    }

    /** The first output line matching {@code regex} after skipping {@code skip} matches. */
    Optional<Matcher> line(String regex, int skip) {
        Pattern pattern = Pattern.compile(regex);
        int seen = 0;
        for (String line : lines()) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find() && seen++ == skip) {
                return Optional.of(matcher);
            }
        }
        return Optional.empty();
    }

    List<Matcher> allLines(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines().stream().map(pattern::matcher).filter(Matcher::find).toList();
    }

    Matcher awaitLine(String regex, Duration deadline) {
        return Await.until(() -> "a log line matching /" + regex + "/\n--- output ---\n" + tail(), deadline,
                           () -> line(regex, 0));
    }

    /** Waits until {@code count} workers are READY according to the admin /status. */
    List<Long> awaitReadyWorkers(int count, Duration deadline) {
        return Await.until(() -> count + " ready workers\n--- output ---\n" + tail(), deadline, () -> {
            List<Long> pids = readyPids();
            return pids.size() == count ? Optional.of(pids) : Optional.empty();
        });
    }

    /** Pids of READY workers from the admin /status, empty if it does not answer. */
    List<Long> readyPids() {
        Optional<Http.Response> status = Http.tryGet(adminPort, "/status");
        if (status.isEmpty()) {
            return List.of();
        }
        List<Long> pids = status.get().readyPids();
        everyWorkerPid.addAll(pids);
        return pids;
    }

    /**
     * Pid of the supervisor JVM itself: the process started, or the java child of a wrapper that
     * forks (unshare --fork) rather than execs (setpriv). Never a worker, although they are java
     * children too. Waits for the wrapper to have exec'd or forked the JVM.
     */
    long supervisorPid() {
        return Await.until(() -> "the supervisor JVM: pid " + process.pid() + " or a java child of it\n" + tail(),
                           Duration.ofSeconds(30), () -> {
            if (isJava(process.toHandle())) {
                return Optional.of(process.pid());
            }
            return process.toHandle().children().filter(RunningSupervisor::isJava).map(ProcessHandle::pid).findFirst();
        });
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }

    String tail() {
        List<String> all = lines();
        return all.subList(Math.max(0, all.size() - 40), all.size()).stream().collect(Collectors.joining("\n"));
    }

    int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("supervisor still running after " + deadline.toMillis() + " ms\n" + tail());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        everyWorkerPid.forEach(pid -> ProcessHandle.of(pid).ifPresent(all::add));
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
