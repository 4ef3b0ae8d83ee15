package io.revenant.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.revenant.protocol.ToolExit;

/**
 * {@code make dev}, the nodemon loop: builds the application, runs the supervisor on it, and on
 * every saved change under the watched source roots builds again and has the supervisor replace
 * every worker start-new-then-stop-old (its SIGHUP reload), so no request fails. One line per
 * change: {@code rebuilt in 1.4 s, replaced 2 workers in 5.2 s}. A compile error prints the
 * compiler's messages and leaves the old workers serving. Edits of the config file are the
 * supervisor's own business (its ConfigWatcher reloads it); the loop only uses them to start a
 * supervisor that has stopped, e.g. on an invalid file.
 *
 * <p>The supervisor keeps the code it was started with: a change to the supervisor itself needs
 * a restart of the loop, and the loop says so.
 *
 * <pre>
 * DevMain --config FILE [--sources src/main/java] [--resources src/main/resources]
 *         [--libs 'target/libs/*'] [--out target/dev] [--poll-ms 300] [--verbose false]
 *         [-- JAVA [SUPERVISOR JVM OPTIONS]]
 * </pre>
 * Exit codes: 64 bad command line, 74 the output directory cannot be written; otherwise it runs
 * until stopped (Ctrl-C stops the supervisor gracefully with it).
 */
public final class DevMain {

    private static final String SUPERVISOR_MAIN = "io.revenant.supervisor.SupervisorMain";
    /** Packages whose code the supervisor runs itself: a change there needs a new supervisor. */
    private static final List<String> SUPERVISOR_PACKAGES = List.of("supervisor", "config", "protocol", "net", "log");
    /** A rolling replacement ends by itself (each new worker has timeout-start-sec); this is a backstop. */
    private static final Duration ROLL_TIMEOUT = Duration.ofMinutes(10);

    private final Path config;
    private final List<Path> codeRoots;
    private final List<Path> watched;
    private final List<String> supervisorCommand;
    private final AppBuild build;
    private final Duration poll;
    private final boolean verbose;
    private final PrintStream out;
    private volatile DevSupervisor supervisor;

    private DevMain(Path config, List<Path> sources, List<Path> resources, List<Path> libs, Path outDir,
                    List<String> java, Duration poll, boolean verbose, PrintStream out) throws IOException {
        this.config = config;
        this.codeRoots = new ArrayList<>(sources);
        codeRoots.addAll(resources);
        this.watched = new ArrayList<>(codeRoots);
        watched.add(config);
        this.build = new AppBuild(sources, resources, libs, outDir);
        this.poll = poll;
        this.verbose = verbose;
        this.out = out;
        List<String> command = new ArrayList<>(java);
        StringBuilder classpath = new StringBuilder(build.link().toAbsolutePath().toString());
        libs.forEach(lib -> classpath.append(':').append(lib.toAbsolutePath()));
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classpath.toString(), SUPERVISOR_MAIN,
                               config.toString()));
        this.supervisorCommand = List.copyOf(command);
    }

    public static void main(String[] args) throws InterruptedException {
        DevMain dev;
        try {
            dev = parse(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("revenant dev: " + e.getMessage());
            System.err.println("usage: DevMain --config FILE [--sources DIR] [--resources DIR] [--libs 'DIR/*']"
                               + " [--out DIR] [--poll-ms N] [--verbose true] [-- JAVA [JVM OPTIONS]]");
            System.exit(ToolExit.USAGE);
            return;
        } catch (IOException e) {
            System.err.println("revenant dev: " + e.getMessage());
            System.exit(ToolExit.IO_ERROR);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(dev::stop, "dev-stop"));
        dev.run();
    }

    static DevMain parse(String[] args, PrintStream out) throws IOException {
        Map<String, String> options = new HashMap<>(Map.of("sources", "src/main/java", "resources", "src/main/resources",
                "libs", "target/libs/*", "out", "target/dev", "poll-ms", "300", "verbose", "false"));
        Set<String> known = Set.of("config", "sources", "resources", "libs", "out", "poll-ms", "verbose");
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--")) {
                if (i + 1 < args.length) {
                    java = List.of(args).subList(i + 1, args.length);
                }
                break;
            }
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!known.contains(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            options.put(key, args[i + 1]);
        }
        if (!options.containsKey("config")) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        int pollMs;
        try {
            pollMs = Integer.parseInt(options.get("poll-ms"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--poll-ms must be a number of milliseconds; got " + options.get("poll-ms"));
        }
        return new DevMain(Path.of(options.get("config")), paths(options.get("sources")), paths(options.get("resources")),
                           libs(options.get("libs")), Path.of(options.get("out")), java,
                           Duration.ofMillis(Math.max(50, pollMs)), Boolean.parseBoolean(options.get("verbose")), out);
    }

    private static List<Path> paths(String list) {
        return Stream.of(list.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** A classpath: jars, and {@code DIR/*} for every jar in DIR, as java's -cp reads it. */
    private static List<Path> libs(String classpath) throws IOException {
        List<Path> jars = new ArrayList<>();
        for (Path entry : paths(classpath)) {
            if (entry.getFileName() != null && entry.getFileName().toString().equals("*")) {
                Path dir = entry.getParent() == null ? Path.of(".") : entry.getParent();
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("--libs: no directory " + dir + " (make build copies the libraries there)");
                }
                try (Stream<Path> list = Files.list(dir)) {
                    list.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
                }
            } else {
                jars.add(entry);
            }
        }
        return jars;
    }

    private void run() throws InterruptedException {
        SaveDebounce debounce = new SaveDebounce(SourceTree.scan(watched));
        buildAndServe(debounce.built(), System.nanoTime(), Set.of());
        out.println("dev: watching " + String.join(", ", watched.stream().map(Path::toString).toList())
                    + " (Ctrl-C stops)");
        while (true) {
            Thread.sleep(poll);
            SourceTree tree = SourceTree.scan(watched);
            if (!debounce.observe(tree)) {
                continue;
            }
            long changedAt = System.nanoTime();
            Set<Path> changed = tree.changedSince(debounce.built());
            debounce.building(tree);
            boolean codeChanged = changed.stream().anyMatch(this::isCode);
            if (!codeChanged && supervisor != null && supervisor.alive()) {
                continue; // the config file: the supervisor's ConfigWatcher reloads it
            }
            buildAndServe(tree, changedAt, changed);
        }
    }

    private boolean isCode(Path path) {
        return codeRoots.stream().anyMatch(path::startsWith);
    }

    /** One build; then a rolling replacement of the workers, or a new supervisor if none runs. */
    private void buildAndServe(SourceTree tree, long changedAt, Set<Path> changed) throws InterruptedException {
        AppBuild.Result result;
        try {
            result = build.build(tree);
        } catch (IOException e) {
            out.println("dev: build failed: " + e.getMessage());
            return;
        }
        switch (result) {
            case AppBuild.Result.Failed failed -> {
                out.println(failed.output());
                out.println("dev: build failed in " + seconds(failed.millis()) + "; "
                            + (running() ? "the old workers keep serving" : "no supervisor runs")
                            + ". Waiting for a change.");
            }
            case AppBuild.Result.Built built -> {
                if (running()) {
                    roll(built, changedAt, changed);
                } else {
                    startSupervisor(built);
                }
            }
        }
    }

    private boolean running() {
        return supervisor != null && supervisor.alive();
    }

    private void roll(AppBuild.Result.Built built, long changedAt, Set<Path> changed) throws InterruptedException {
        long rollStarted = System.nanoTime();
        supervisor.clearEvents();
        supervisor.reload();
        Rollout.Outcome outcome = supervisor.await(Rollout.reload(), ROLL_TIMEOUT);
        String rolled = switch (outcome) {
            case Rollout.Outcome.Done done -> "replaced " + workers(done.workers()) + " in " + seconds(millisSince(rollStarted));
            case Rollout.Outcome.Failed failed -> "replaced " + failed.workers() + " of " + workers(failed.expected())
                                                  + ": " + failed.reason() + "; the old workers keep serving";
            case Rollout.Outcome.Pending pending -> "still replacing workers";
        };
        out.println("rebuilt in " + seconds(built.millis()) + " (" + built.what() + "), " + rolled
                    + (outcome instanceof Rollout.Outcome.Done ? " (serving " + seconds(millisSince(changedAt))
                                                                 + " after the change)" : ""));
        if (changed.stream().anyMatch(this::isSupervisorCode)) {
            out.println("dev: the supervisor keeps the code it started with; restart make dev to run a changed supervisor");
        }
        if (!supervisor.alive()) {
            out.println("dev: the supervisor exited with code " + supervisor.exitCode() + "; waiting for a change to start it again");
        }
    }

    private void startSupervisor(AppBuild.Result.Built built) throws InterruptedException {
        long started = System.nanoTime();
        DevSupervisor next;
        try {
            next = DevSupervisor.start(supervisorCommand, out, verbose);
        } catch (IOException e) {
            out.println("dev: cannot start the supervisor: " + e.getMessage());
            return;
        }
        build.pin(built.number());
        supervisor = next;
        Rollout.Outcome outcome = next.await(Rollout.start(), ROLL_TIMEOUT);
        switch (outcome) {
            case Rollout.Outcome.Done done -> out.println("built in " + seconds(built.millis()) + ", started "
                    + workers(done.workers()) + " in " + seconds(millisSince(started)) + ": http://localhost:"
                    + next.started("port") + "/");
            case Rollout.Outcome.Failed failed -> out.println("dev: the supervisor did not start: " + failed.reason()
                    + "; waiting for a change to start it again");
            case Rollout.Outcome.Pending pending -> {
            }
        }
    }

    private boolean isSupervisorCode(Path path) {
        String name = path.toString().replace('\\', '/');
        return name.endsWith(".java") && SUPERVISOR_PACKAGES.stream().anyMatch(p -> name.contains("/io/revenant/" + p + "/"));
    }

    private void stop() {
        DevSupervisor running = supervisor;
        if (running != null) {
            try {
                running.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String workers(int count) {
        return count + (count == 1 ? " worker" : " workers");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
