package io.revenant.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.stack.StackEnv;
import io.revenant.testing.NginxUpstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container stack as a user runs it: {@code make up CONFIG=...} and {@code make down}, with
 * the engine {@code make} chose (or {@code -Dengine=}). Output of every command is kept under
 * {@code target/e2e-logs/} and quoted in failures. {@link #close()} always runs {@code make down}.
 */
final class Stack implements AutoCloseable {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path LOGS = ROOT.resolve("target/e2e-logs");
    private static final Duration MAKE_TIMEOUT = Duration.ofMinutes(5);

    final StackEnv env;
    final Path config;
    private final String name;
    /** make variables of this stack ({@code PROJECT=…}, ports, image name, stack dir) besides CONFIG. */
    final List<String> makeVars;

    private Stack(String name, Path config, StackEnv env, List<String> makeVars) {
        this.name = name;
        this.config = config;
        this.env = env;
        this.makeVars = List.copyOf(makeVars);
    }

    /**
     * Writes {@code config/application.yaml} with {@code replace} applied (pairs of literal
     * text and replacement) to {@code target/e2e/<name>/application.yaml} and runs make up on it.
     */
    static Stack up(String name, String... replace) throws IOException, InterruptedException {
        return up(name, List.of(), replace);
    }

    /**
     * Like {@link #up(String, String...)}, with make variables that set the stack apart
     * ({@code PROJECT=…}, {@code NGINX_PORT=…}, {@code IMAGE_NAME=…}, {@code STACK_DIR=…}), so it
     * runs beside the default one.
     */
    static Stack up(String name, List<String> makeVars, String... replace) throws IOException, InterruptedException {
        String yaml = Files.readString(ROOT.resolve("config/application.yaml"));
        for (int i = 0; i + 1 < replace.length; i += 2) {
            if (!yaml.contains(replace[i])) {
                throw new IllegalArgumentException("config/application.yaml has no \"" + replace[i] + "\" to replace");
            }
            yaml = yaml.replace(replace[i], replace[i + 1]);
        }
        Path dir = ROOT.resolve("target/e2e/" + name);
        Files.createDirectories(dir);
        Path config = dir.resolve("application.yaml");
        Files.writeString(config, yaml);
        Stack stack = new Stack(name, config, null, makeVars);
        NoSysctl.assertHostMigrateReqOff();
        stack.makeTarget("up", "up");
        Stack running = new Stack(name, config, StackEnv.read(ROOT.resolve(stack.stackDir()).resolve("stack.env")), makeVars);
        try {
            running.assertNoSysctl();
        } catch (AssertionError | IOException e) {
            running.close();
            throw e;
        }
        return running;
    }

    /**
     * The stack runs with no sysctl: none in its compose file, none applied to any app container,
     * {@code tcp_migrate_req} 0 inside each (see {@link NoSysctl}).
     */
    void assertNoSysctl() throws IOException, InterruptedException {
        NoSysctl.assertFileSetsNone(ROOT.resolve(stackDir()).resolve("compose.yaml"));
        for (String container : env.appContainers()) {
            NoSysctl.assertContainerHasNone(container);
        }
    }

    /** nginx's rendered config ({@code STACK_DIR/nginx/default.conf}). */
    String nginxConf() throws IOException {
        return Files.readString(ROOT.resolve(stackDir()).resolve("nginx/default.conf"));
    }

    /**
     * nginx balances over exactly {@link io.revenant.stack.StackSettings#LINES_PER_CONTAINER}
     * {@code server} lines per app container, each with {@code max_fails=0}, and retries a request
     * on at most 3 lines: the eight lines per container of the port-keeper days are gone.
     */
    void assertOneNginxLinePerContainer() throws IOException {
        String conf = nginxConf();
        List<String> servers = NginxUpstream.servers(conf, NginxUpstream.MAIN);
        assertEquals(servers, NginxUpstream.servers(conf, NginxUpstream.FRESH), "the same containers on new connections");
        int lines = io.revenant.stack.StackSettings.LINES_PER_CONTAINER;
        assertEquals(env.containers() * lines, servers.size(),
                     "server lines of the upstream, " + lines + " per container expected: " + servers);
        assertEquals(env.containers(), servers.stream().map(l -> l.split("\\s+")[1]).distinct().count(),
                     "each container " + lines + " times: " + servers);
        servers.forEach(l -> assertTrue(l.contains("max_fails=0"), "a server line without max_fails=0: " + l));
        Matcher tries = Pattern.compile("(?m)^\\s*proxy_next_upstream_tries\\s+(\\d+)\\s*;").matcher(conf);
        assertTrue(tries.find(), "no proxy_next_upstream_tries in nginx's config");
        int n = Integer.parseInt(tries.group(1));
        assertTrue(n >= 1 && n <= 3, "proxy_next_upstream_tries " + n + ", at most 3 expected");
    }

    /** {@code STACK_DIR} of this stack: where make renders compose.yaml, nginx's config and stack.env. */
    String stackDir() {
        return makeVars.stream().filter(v -> v.startsWith("STACK_DIR=")).map(v -> v.substring(10)).findFirst()
                .orElse("target/stack");
    }

    /** {@code make TARGET…} on this stack (its CONFIG and make variables); fails unless it exits 0. */
    String makeTarget(String log, String... args) throws IOException, InterruptedException {
        Result result = makeResult(log, args);
        if (result.code() != 0) {
            throw new AssertionError("make " + String.join(" ", args) + " " + makeVars + " exited " + result.code()
                                     + ":\n" + result.tail(60));
        }
        return result.output();
    }

    /** {@code make TARGET…} on this stack; the caller judges the exit code. */
    Result makeResult(String log, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("CONFIG=" + config);
        all.addAll(makeVars);
        return makeRun(name + "-" + log, all);
    }

    /** {@code make down}; the caller asserts what it leaves. */
    static void down(String name) throws IOException, InterruptedException {
        make(name + "-down", "down");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        saveLogs();
        if (makeVars.isEmpty()) {
            down(name);
        } else {
            makeTarget("down", "down");
        }
    }

    /**
     * Keeps the logs of every container of the stack (app supervisors and workers, nginx's error
     * log) in {@code target/e2e-logs/<name>-<container>.log}, for a look after a failure.
     */
    void saveLogs() throws IOException, InterruptedException {
        if (env == null) {
            return;
        }
        List<String> containers = new ArrayList<>(env.appContainers());
        containers.add(env.nginxContainer());
        String engine = System.getProperty("engine", "podman").isBlank() ? "podman" : System.getProperty("engine", "podman");
        for (String container : containers) {
            Files.deleteIfExists(LOGS.resolve(name + "-" + container + ".log"));
            run(name + "-" + container, Duration.ofMinutes(1), List.of(engine, "logs", container));
        }
    }

    /** Runs make with the given arguments; fails with the end of its output unless it exits 0. */
    static String make(String log, String... args) throws IOException, InterruptedException {
        Result result = makeRun(log, List.of(args));
        if (result.code() != 0) {
            throw new AssertionError("make " + String.join(" ", args) + " exited " + result.code() + ":\n" + result.tail(60));
        }
        return result.output();
    }

    private static Result makeRun(String log, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("make", "--no-print-directory", "STACK_RENDER_DEPS="));
        command.addAll(args);
        String engine = System.getProperty("engine", "");
        if (!engine.isBlank()) {
            command.add("ENGINE=" + engine);
        }
        return run(log, MAKE_TIMEOUT, command);
    }

    /** The container engine itself ({@code podman} or {@code docker}). */
    static Result engine(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("engine", "podman").isBlank() ? "podman" : System.getProperty("engine", "podman"));
        command.addAll(List.of(args));
        return run("engine", Duration.ofMinutes(1), command);
    }

    /** Exit code and output of a command. */
    record Result(int code, String output) {

        String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    private static Result run(String log, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(LOGS);
        Path file = LOGS.resolve(log + ".log");
        Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(file.toFile())).start();
        long before = Files.size(file);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", command) + " still running after " + timeout.toSeconds() + "s");
        }
        byte[] all = Files.readAllBytes(file);
        String output = new String(all, (int) Math.min(before, all.length), (int) (all.length - Math.min(before, all.length)),
                                   StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }

    /** The host pid of a container's PID 1 (the supervisor), 0 when it is not running. */
    static long mainPid(String container) throws IOException, InterruptedException {
        Result result = engine("inspect", "--format", "{{.State.Pid}}", container);
        return result.code() == 0 ? Long.parseLong(result.output().trim()) : 0;
    }

    static int restartCount(String container) throws IOException, InterruptedException {
        Result result = engine("inspect", "--format", "{{.RestartCount}}", container);
        return result.code() == 0 ? Integer.parseInt(result.output().trim()) : -1;
    }

    /** Containers and networks that still carry the project's label. */
    static List<String> leftovers(String project) throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        String label = "label=com.docker.compose.project=" + project;
        engine("ps", "-a", "--filter", label, "--format", "{{.Names}}").output().lines()
                .filter(line -> !line.isBlank()).forEach(line -> left.add("container " + line));
        engine("network", "ls", "--filter", label, "--format", "{{.Name}}").output().lines()
                .filter(line -> !line.isBlank()).forEach(line -> left.add("network " + line));
        return left;
    }

    /** Whether something accepts TCP connections on {@code host:port}. */
    static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
