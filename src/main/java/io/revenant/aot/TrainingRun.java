package io.revenant.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.protocol.ToolExit;

/**
 * The training run of the JDK's AOT cache (JEP 483/514): starts the real supervisor with one
 * worker, the worker JVM options of an {@code application.yaml} plus
 * {@code -XX:AOTCacheOutput=OUT/worker.aot}, and the supervisor itself with
 * {@code -XX:AOTCacheOutput=OUT/supervisor.aot}; sends the requests a service sees (public
 * routes, the watchdog's probe, the admin API), then stops it gracefully. Each JVM writes its
 * cache as it exits.
 *
 * <p>A cache is valid only for the same JDK, the same classpath (the jar and its {@code libs/},
 * unchanged, named as at training) and compatible JVM options, so the supervisor command is given
 * exactly as it will run, from the directory it will run in. Uses no {@code java.net.http}: it
 * runs in the image's jlink runtime too.
 *
 * <pre>
 * TrainingRun --config FILE --out DIR [--requests 1000] -- JAVA [SUPERVISOR OPTIONS] -jar JAR
 * </pre>
 * Exit codes: 0 both caches written, 1 the run failed (the reason and the log's tail are
 * printed), 64 bad command line, 78 invalid configuration.
 */
public final class TrainingRun {

    static final int FAILED = ToolExit.FAILED;
    static final int USAGE = ToolExit.USAGE;
    static final int CONFIG = ToolExit.CONFIG;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Options of the config's worker that would conflict with the training's own. */
    private static final List<String> AOT_OPTIONS = List.of("-XX:AOTCache=", "-XX:AOTCacheOutput=", "-XX:AOTMode=",
                                                            "-XX:AOTConfiguration=", "-XX:SharedArchiveFile=");

    private TrainingRun() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args));
    }

    static int run(String[] args) throws InterruptedException {
        int dashes = Arrays.asList(args).indexOf("--");
        if (dashes < 0 || dashes == args.length - 1 || dashes % 2 != 0) {
            return usage("expected options, then -- and the supervisor's java command");
        }
        Path config = null;
        Path out = null;
        int requests = 1000;
        for (int i = 0; i < dashes; i += 2) {
            switch (args[i]) {
                case "--config" -> config = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                default -> {
                    return usage("unknown option " + args[i]);
                }
            }
        }
        if (config == null || out == null) {
            return usage("--config and --out are required");
        }
        List<String> workerOptions;
        try {
            workerOptions = trainingOptions(ConfigLoader.load(config).worker().jvmOptions(),
                                            out.toAbsolutePath().resolve("worker.aot"));
        } catch (ConfigException e) {
            e.errors().stream().map(ConfigError::toString).forEach(System.err::println);
            return CONFIG;
        }
        List<String> supervisor = List.of(args).subList(dashes + 1, args.length);
        try {
            return train(supervisor, workerOptions, out.toAbsolutePath(), requests);
        } catch (IOException e) {
            System.err.println("aot training: " + e);
            return FAILED;
        }
    }

    /** The worker's options for training: the configured ones without AOT options, plus the output. */
    static List<String> trainingOptions(List<String> configured, Path cache) {
        List<String> options = new ArrayList<>();
        for (String option : configured) {
            if (AOT_OPTIONS.stream().noneMatch(option::startsWith)) {
                options.add(option);
            }
        }
        options.add("-XX:AOTCacheOutput=" + cache);
        return options;
    }

    private static int train(List<String> supervisor, List<String> workerOptions, Path out, int requests)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        Path workerCache = out.resolve("worker.aot");
        Path supervisorCache = out.resolve("supervisor.aot");
        Files.deleteIfExists(workerCache);
        Files.deleteIfExists(supervisorCache);
        int port = freePort();
        int admin = freePort();
        Path yaml = out.resolve("training.yaml");
        Files.writeString(yaml, trainingYaml(port, admin, workerOptions));
        List<String> command = new ArrayList<>();
        command.add(supervisor.getFirst());
        command.add("-XX:AOTCacheOutput=" + supervisorCache);
        command.addAll(supervisor.subList(1, supervisor.size()));
        command.add(yaml.toString());
        Path log = out.resolve("training.log");
        System.out.println("aot training: " + String.join(" ", command) + " (log: " + log + ")");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long started = System.nanoTime();
            String failure = exercise(process, port, admin, requests);
            if (failure != null) {
                return failed(failure, log);
            }
            System.out.printf("aot training: %d requests answered after %.1f s; stopping, each JVM writes its cache as it exits%n",
                              requests, (System.nanoTime() - started) / 1e9);
            process.destroy();   // SIGTERM: graceful stop; the worker exits 0 and writes its cache
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return failed("the supervisor did not stop within " + STOP_TIMEOUT.toSeconds() + " s", log);
            }
            if (process.exitValue() != 0) {
                return failed("the supervisor exited " + process.exitValue(), log);
            }
            for (Path cache : List.of(workerCache, supervisorCache)) {
                if (!Files.isRegularFile(cache)) {
                    return failed("no cache written at " + cache, log);
                }
            }
            System.out.printf("aot training: %d requests; wrote %s (%d MiB) and %s (%d MiB)%n", requests,
                              workerCache, Files.size(workerCache) >> 20, supervisorCache, Files.size(supervisorCache) >> 20);
            return 0;
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    /** Waits for the worker and sends the training traffic; the reason of a failure, or null. */
    private static String exercise(Process process, int port, int admin, int requests) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!get(admin, "/status", "application/json").contains("\"ready\":1")) {
            if (!process.isAlive()) {
                return "the supervisor exited " + process.exitValue() + " before its worker was ready";
            }
            if (System.nanoTime() > deadline) {
                return "no worker ready within " + READY_TIMEOUT.toSeconds() + " s";
            }
            Thread.sleep(50);
        }
        System.out.println("aot training: worker ready; sending " + requests + " requests");
        int answered = 0;
        for (int i = 0; i < requests; i++) {
            String accept = i % 2 == 0 ? "text/plain" : "application/json";
            if (get(port, "/", accept).startsWith("HTTP/1.1 200")) {
                answered++;
            }
            if (i % 100 == 0) {
                get(port, "/slow?ms=1", accept);
                get(port, "/no-such-route", accept);
                get(admin, "/health", accept);
                get(admin, "/metrics", "text/plain");
            }
        }
        return answered == requests ? null : (requests - answered) + " of " + requests + " requests not answered 200";
    }

    private static String trainingYaml(int port, int admin, List<String> workerOptions) {
        StringBuilder yaml = new StringBuilder()
                .append("# written by io.revenant.aot.TrainingRun; one worker, stopped gracefully so it writes its cache\n")
                .append("server: {host: 127.0.0.1, port: ").append(port).append("}\n")
                .append("supervisor: {workers: 1, restart: \"no\", timeout-stop-sec: 120, watchdog-sec: 1}\n")
                .append("admin: {host: 127.0.0.1, port: ").append(admin).append("}\n")
                .append("chaos: {kill-endpoint: true}\n")
                .append("worker:\n  jvm-options:\n");
        for (String option : workerOptions) {
            yaml.append("    - \"").append(option.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        return yaml.toString();
    }

    /**
     * One HTTP/1.1 GET on a new connection; the head and body of the answer, or "" when the call
     * failed. Reads the body by its Content-Length: Helidon keeps the connection open after an
     * answer to {@code Connection: close} until the client closes it.
     */
    static String get(int port, String path, String accept) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) REQUEST_TIMEOUT.toMillis());
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            OutputStream request = socket.getOutputStream();
            request.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept
                           + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            InputStream answer = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = answer.read();
                if (b < 0) {
                    return "";
                }
                head.append((char) b);
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return head + new String(answer.readNBytes(length), StandardCharsets.UTF_8);
        } catch (IOException | NumberFormatException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int failed(String reason, Path log) throws IOException {
        System.err.println("aot training failed: " + reason + "; last lines of " + log + ":");
        List<String> lines = Files.readAllLines(log);
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
        return FAILED;
    }

    private static int usage(String problem) {
        System.err.println("aot training: " + problem + "\nusage: TrainingRun --config FILE --out DIR [--requests N]"
                           + " -- JAVA [SUPERVISOR OPTIONS] -jar JAR");
        return USAGE;
    }
}
