package io.revenant.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.supervisor.ProcStatus;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.Http;

/**
 * {@code make bench}: one markdown table of throughput, latency, respawn time, chaos, RSS and
 * cold start, side by side with the Node.js cluster reference (issue 5's figures, and for the
 * fresh-connection rows of issue 10 the reference itself, run in the same bench), written to
 * {@code target/bench/}. It reports; it asserts nothing. Every load is bounded in time and goes
 * to loopback only; every process it starts is stopped, and the stack is taken down, even when a
 * step fails.
 *
 * <pre>
 * BenchMain -- JAVA [SUPERVISOR OPTIONS] -jar target/revenant.jar
 * </pre>
 * Knobs (system properties, set by the Makefile): {@code bench.config}, {@code bench.port},
 * {@code bench.admin-port}, {@code bench.nginx-port}, {@code bench.project},
 * {@code bench.image}, {@code bench.engine}, {@code bench.stack} (false skips the containers),
 * {@code bench.kills}, {@code bench.seconds} (each measured wrk run), {@code bench.spare}
 * (N > 0 adds a respawn series with {@code supervisor.spare: N}), {@code bench.wrk.threads},
 * {@code bench.wrk.connections}, {@code bench.warmup-seconds}, {@code bench.chaos-seconds},
 * {@code bench.cold-starts}; for the fresh-connection rows of issue 10 {@code bench.fresh.clients},
 * {@code bench.kill-period-ms}, {@code bench.node-ref}, {@code bench.node-port},
 * {@code bench.node-nginx-port}, {@code bench.nginx-image}; {@code bench.only=fresh,takeover,…}
 * runs only those sections (cold, direct, respawn, fresh, takeover, nginx).
 */
public final class BenchMain {

    private static final Path OUT = Path.of("target/bench");
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup-seconds", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
    private static final Duration CHAOS = Duration.ofSeconds(Long.getLong("bench.chaos-seconds", 15));
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int KILLS = Integer.getInteger("bench.kills", 12);
    private static final int COLD_STARTS = Integer.getInteger("bench.cold-starts", 3);
    private static final int PORT = Integer.getInteger("bench.port", 7000);
    private static final int ADMIN = Integer.getInteger("bench.admin-port", 7100);
    /** Fresh-connection clients of the issue 10 rows (each a new TCP connection per GET). */
    private static final int CLIENTS = Integer.getInteger("bench.fresh.clients", 8);
    private static final Duration KILL_PERIOD = Duration.ofMillis(Long.getLong("bench.kill-period-ms", 200));
    /** Workers of the calm fresh-connection rows, on both sides. */
    private static final int FRESH_WORKERS = 2;
    private static final Path NODE_REF = Path.of(System.getProperty("bench.node-ref", "../shared/reference/node-cluster"));
    /** The Node.js reference listens here (direct), and on + 1, + 2 behind its nginx. */
    private static final int NODE_PORT = Integer.getInteger("bench.node-port", 7500);
    private static final int NODE_NGINX_PORT = Integer.getInteger("bench.node-nginx-port", 7334);
    private static final String NGINX_IMAGE = System.getProperty("bench.nginx-image", "nginx:1.27");
    /** Where make renders the bench stack (compose file, nginx config), apart from a dev stack's target/stack. */
    private static final String STACK_OUT = "target/bench/stack-out";
    /** Comma-separated sections to run (cold, direct, respawn, fresh, takeover, nginx); empty: all. */
    private static final List<String> ONLY = List.of(System.getProperty("bench.only", "").split(",")).stream()
            .map(String::strip).filter(x -> !x.isEmpty()).toList();

    /** One line of the table; {@code met} is null where the issue sets no target. */
    record Row(String measure, String revenant, String node, String target, Boolean met) {

        String markdown() {
            String verdict = met == null ? "" : met ? " ✅" : " ❌";
            return "| " + measure + " | " + revenant + " | " + node + " | " + target + verdict + " |";
        }
    }

    private final List<String> supervisor;
    private final List<String> workerOptions;
    /** {@code supervisor.spare} of the measured config: the containers run with it. */
    private final int configSpare;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private BenchMain(List<String> supervisor, List<String> workerOptions, int configSpare) {
        this.supervisor = supervisor;
        this.configSpare = configSpare;
        this.workerOptions = workerOptions;
    }

    public static void main(String[] args) throws Exception {
        int dashes = List.of(args).indexOf("--");
        if (dashes < 0 || dashes == args.length - 1) {
            System.err.println("usage: BenchMain -- JAVA [SUPERVISOR OPTIONS] -jar target/revenant.jar");
            System.exit(64);
        }
        Path config = Path.of(System.getProperty("bench.config", "config/application.yaml"));
        List<String> workerOptions;
        int spare;
        try {
            RevenantConfig loaded = ConfigLoader.load(config);
            workerOptions = loaded.worker().jvmOptions();
            spare = loaded.supervisor().spare();
        } catch (ConfigException e) {
            e.errors().forEach(System.err::println);
            System.exit(78);
            return;
        }
        BenchMain bench = new BenchMain(List.of(args).subList(dashes + 1, args.length), workerOptions, spare);
        System.exit(bench.run(config));
    }

    private int run(Path config) throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        int failedSteps = 0;
        failedSteps += step("cold", "cold start", this::coldStart);
        failedSteps += step("direct", "direct, 1 worker", () -> direct(1));
        failedSteps += step("direct", "direct, 2 workers", () -> direct(2));
        failedSteps += step("respawn", "respawn", this::respawn);
        failedSteps += step("fresh", "fresh connections, calm and under kills, beside Node.js", this::fresh);
        failedSteps += step("takeover", "kill → another worker answers, beside Node.js", this::takeover);
        if (Boolean.parseBoolean(System.getProperty("bench.stack", "true"))) {
            failedSteps += step("nginx", "through nginx", this::stack);
        } else {
            notes.add("The container stack was skipped (BENCH_STACK=0).");
        }
        String table = render(config, started, loadBefore, loadAverage());
        Files.writeString(OUT.resolve("bench-" + started.truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "") + ".md"), table);
        Files.writeString(OUT.resolve("latest.md"), table);
        System.out.println();
        System.out.println(table);
        System.out.println("written to " + OUT.resolve("latest.md"));
        return failedSteps == 0 ? 0 : 1;
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * Runs a section unless {@code bench.only} leaves it out; a failure is reported in the table's
     * notes and does not stop the others.
     */
    private int step(String key, String name, Step step) {
        if (!ONLY.isEmpty() && !ONLY.contains(key)) {
            return 0;
        }
        System.out.println("bench: " + name + " …");
        try {
            step.run();
            return 0;
        } catch (Exception e) {
            notes.add("**" + name + " failed**: " + e.getMessage());
            System.err.println("bench: " + name + " failed: " + e);
            return 1;
        }
    }

    // --- cold start ------------------------------------------------------------------------------

    private void coldStart() throws IOException, InterruptedException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < COLD_STARTS; i++) {
            try (DirectRun run = DirectRun.start("cold-start-" + i, supervisor, PORT, ADMIN, 2, workerOptions, 0)) {
                ms.add(run.awaitReady(READY_TIMEOUT));
            }
        }
        rows.add(new Row("cold start: supervisor process start → 2 workers READY (admin /status)",
                         Stats.of(ms).ms(), "—", "—", null));
    }

    // --- direct throughput and RSS ---------------------------------------------------------------

    /** Node.js's side of a direct row, measured the same way right after Revenant's. */
    private record NodeDirect(Wrk.Result result, long workerIdleKib, long workerPeakKib, long primaryIdleKib, long primaryPeakKib) {
    }

    private NodeDirect nodeDirect(int workers) throws Exception {
        try (NodeRun node = NodeRun.start("direct-" + workers, NODE_REF, NODE_PORT, workers)) {
            node.awaitReady(READY_TIMEOUT);
            for (int i = 0; i < 200; i++) {
                Http.request(NODE_PORT, "GET", "/", Http.ACCEPT_JSON, Duration.ofMillis(2000));
            }
            Thread.sleep(1000);
            List<Long> workerPids = node.workerPids();
            long workerIdle = workerPids.stream().mapToLong(ProcStatus::rssKib).max().orElse(-1);
            long primaryIdle = ProcStatus.rssKib(node.pid());
            String url = "http://127.0.0.1:" + NODE_PORT + "/";
            Wrk.run(url, WARMUP);
            List<Long> all = new ArrayList<>(workerPids);
            all.add(node.pid());
            try (RssSampler sampler = new RssSampler(all)) {
                Wrk.Result result = Wrk.run(url, MEASURE);
                Map<Long, Long> peaks = sampler.peaks();
                return new NodeDirect(result, workerIdle,
                        workerPids.stream().mapToLong(pid -> peaks.getOrDefault(pid, -1L)).max().orElse(-1),
                        primaryIdle, peaks.getOrDefault(node.pid(), -1L));
            }
        }
    }

    private void direct(int workers) throws Exception {
        try (DirectRun run = DirectRun.start("direct-" + workers, supervisor, PORT, ADMIN, workers, workerOptions, 0)) {
            run.awaitReady(READY_TIMEOUT);
            for (int i = 0; i < 200; i++) {
                Http.request(PORT, "GET", "/", Http.ACCEPT_JSON, Duration.ofMillis(2000));
            }
            Thread.sleep(1000);
            List<Long> workerPids = run.slots().stream().map(DirectRun.Slot::pid).toList();
            long supervisorIdle = ProcStatus.rssKib(run.pid());
            List<Long> workersIdle = workerPids.stream().map(ProcStatus::rssKib).toList();
            String url = "http://127.0.0.1:" + PORT + "/";
            Wrk.run(url, WARMUP);
            Wrk.Result result;
            Map<Long, Long> peaks;
            List<Long> all = new ArrayList<>(workerPids);
            all.add(run.pid());
            try (RssSampler sampler = new RssSampler(all)) {
                result = Wrk.run(url, MEASURE);
                peaks = sampler.peaks();
            }
            // stopped before Node.js starts, so the two never share the cores (a second close is a no-op);
            // then the same client, load and worker count on the Node.js cluster
            run.close();
            NodeDirect node = nodeDirect(workers);
            String count = workers + " worker" + (workers > 1 ? "s" : "");
            double target = 2 * node.result().rps();
            rows.add(new Row("GET / direct, " + count + " · live", result.cell(), node.result().cell(),
                             String.format("≥ %.1fk req/s (2× Node)", target / 1000), result.rps() >= target));
            long workerPeak = workerPids.stream().mapToLong(pid -> peaks.getOrDefault(pid, -1L)).max().orElse(-1);
            rows.add(new Row("worker RSS idle / under load (" + count + ", each) · live",
                             mib(workersIdle) + " / " + mib(workerPids.stream().map(p -> peaks.getOrDefault(p, -1L)).toList()),
                             mib(List.of(node.workerIdleKib())) + " / " + mib(List.of(node.workerPeakKib())) + " (largest)",
                             "under load ≤ 100 MiB", workerPeak > 0 && workerPeak <= 100 * 1024));
            long supervisorPeak = peaks.getOrDefault(run.pid(), -1L);
            rows.add(new Row("supervisor RSS idle / under load (" + count + "); Node: its primary · live",
                             mib(List.of(supervisorIdle)) + " / " + mib(List.of(supervisorPeak)),
                             mib(List.of(node.primaryIdleKib())) + " / " + mib(List.of(node.primaryPeakKib())),
                             "≤ 48 MiB", Math.max(supervisorIdle, supervisorPeak) <= 48 * 1024));
            long workerIdle = workersIdle.stream().mapToLong(Long::longValue).max().orElse(-1);
            rows.add(new Row("worker RSS idle (" + count + ", largest) · live", mib(List.of(workerIdle)),
                             mib(List.of(node.workerIdleKib())), "≤ 64 MiB", workerIdle > 0 && workerIdle <= 64 * 1024));
        }
    }

    // --- respawn ---------------------------------------------------------------------------------

    private void respawn() throws Exception {
        List<String> withoutCache = workerOptions.stream().filter(o -> !o.startsWith("-XX:AOTCache=")).toList();
        boolean hasCache = withoutCache.size() != workerOptions.size();
        try {
            nodeRespawn();
        } catch (Exception e) {
            notes.add("**Node.js respawn failed**: " + e.getMessage());
        }
        respawnSeries(hasCache ? "application.yaml options (AOT cache), no spare" : "application.yaml options (no AOT cache configured), no spare",
                      workerOptions, 0, true);
        if (hasCache) {
            respawnSeries("the same without the AOT cache", withoutCache, 0, false);
        }
        respawnSeries("JVM defaults (no worker options)", List.of(), 0, false);
        int spare = Integer.getInteger("bench.spare", 0);
        if (spare > 0) {
            respawnSeries("application.yaml options + `supervisor.spare: " + spare + "`", workerOptions, spare, true);
        }
    }

    /**
     * The Node.js reference's respawn beside ours: its 1 worker SIGKILLed {@link #KILLS} times,
     * kill → first answer from the new worker, and the CPU its fork burnt until then.
     */
    private void nodeRespawn() throws Exception {
        List<Double> firstAnswer = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        try (NodeRun node = NodeRun.start("respawn", NODE_REF, NODE_PORT, 1)) {
            node.awaitReady(READY_TIMEOUT);
            for (int i = 0; i < KILLS; i++) {
                Thread.sleep(300);
                long victim = node.answeringWorker().orElseThrow(() -> new IllegalStateException("Node: no answer"));
                List<Long> before = node.workerPids();
                long t0 = System.nanoTime();
                before.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                // short polls: a request the primary hands to the dying worker hangs, and would
                // count its whole timeout instead of the new worker's start
                while (node.answeringWorker(Duration.ofMillis(100)).filter(w -> w != victim).isEmpty()) {
                    if (System.nanoTime() - t0 > READY_TIMEOUT.toNanos()) {
                        throw new IllegalStateException("Node: no answer from a new worker");
                    }
                    Thread.sleep(2);
                }
                firstAnswer.add((System.nanoTime() - t0) / 1e6);
                node.workerPids().stream().filter(pid -> !before.contains(pid)).findFirst()
                        .ifPresent(pid -> cpu.add(cpuMs(pid)));
            }
        }
        nodeRespawnMs = Stats.of(firstAnswer);
        nodeForkCpuMs = Stats.of(cpu);
    }

    private Stats nodeRespawnMs;
    private Stats nodeForkCpuMs;

    /** utime + stime of a process in ms (10 ms ticks), NaN when it is gone. */
    static double cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private void respawnSeries(String label, List<String> options, int spares, boolean withTarget)
            throws Exception {
        List<Double> firstAnswer = new ArrayList<>();
        List<Double> allReady = new ArrayList<>();
        List<Double> spareRss = new ArrayList<>();
        String name = "respawn-" + label.replaceAll("[^a-zA-Z0-9]+", "-").toLowerCase();
        try (DirectRun run = DirectRun.start(name, supervisor, PORT, ADMIN, 1, options, spares)) {
            for (int i = 0; i < KILLS; i++) {
                long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
                while (!run.settled()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(label + ": worker not READY again within " + READY_TIMEOUT.toSeconds() + " s");
                    }
                    Thread.sleep(10);
                }
                Thread.sleep(300);
                run.slots().stream().filter(s -> s.state().equals("spare"))
                        .forEach(s -> spareRss.add((double) ProcStatus.rssKib(s.pid()) / 1024));
                DirectRun.Slot slot = run.slots().stream().filter(s -> s.slot() == 1).findFirst()
                        .orElseThrow(() -> new IllegalStateException(label + ": no slot 1 in /status"));
                long victim = slot.worker();
                // SIGKILL, as a crash or the OOM killer would: POST /chaos/kill exits through
                // Runtime.halt, which HotSpot delays ~300 ms while threads sit in native calls
                long t0 = System.nanoTime();
                ProcessHandle.of(slot.pid()).ifPresent(ProcessHandle::destroyForcibly);
                CompletableFuture<Double> ready = CompletableFuture.supplyAsync(() -> {
                    while (!run.allReady(List.of(victim))) {
                        pause(5);
                    }
                    return (System.nanoTime() - t0) / 1e6;
                }, command -> Thread.ofVirtual().start(command));
                while (true) {
                    try {
                        Http.Response answer = Http.request(PORT, "GET", "/", Http.ACCEPT_JSON, Duration.ofMillis(2000));
                        if (answer.worker().filter(w -> w.worker() != victim).isPresent()) {
                            firstAnswer.add((System.nanoTime() - t0) / 1e6);
                            break;
                        }
                    } catch (IOException e) {
                        // refused or reset while no worker listens: ask again
                    }
                    if (System.nanoTime() - t0 > READY_TIMEOUT.toNanos()) {
                        throw new IllegalStateException(label + ": no answer from a new worker within " + READY_TIMEOUT.toSeconds() + " s");
                    }
                    Thread.sleep(2);
                }
                allReady.add(ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        }
        String node = nodeRespawnMs == null ? "123 ms (issue 5)" : nodeRespawnMs.ms() + " · live";
        rows.add(new Row("kill → first answer from the new worker, " + label, Stats.of(firstAnswer).ms(),
                         withTarget && spares == 0 ? node : "", withTarget
                         ? (spares == 0 ? "median ≤ 150 ms" : "median < 20 ms") : "",
                         withTarget ? Stats.of(firstAnswer).median() <= (spares == 0 ? 150 : 20) : null));
        rows.add(new Row("kill → capacity restored (all workers READY), " + label, Stats.of(allReady).ms(), "", "", null));
        StartBreakdown steps = StartBreakdown.read(Path.of("target/bench/logs", name + ".log"), 1);
        rows.add(new Row("start steps after a kill, " + label, steps.cell(), "", "", null));
        if (spares > 0) {
            List<Double> warm = Files.readAllLines(Path.of("target/bench/logs", name + ".log")).stream()
                    .filter(l -> l.contains("event=spare-ready")).map(l -> l.replaceAll(".* warm-ms=(\\d+).*", "$1"))
                    .map(Double::parseDouble).toList();
            rows.add(new Row("spare warm-up (spawn → SPARE) / spare RSS, " + label, Stats.of(warm).ms() + " / "
                             + String.format(java.util.Locale.ROOT, "%.0f MiB median", Stats.of(spareRss).median()),
                             "—", "warm-up ≤ 1 s on a quiet machine", Stats.of(warm).median() <= 1000));
        }
        if (withTarget && spares == 0) {
            double cpu = steps.medianCpuMs();
            rows.add(new Row("CPU per worker start (exec → READY, median), " + label,
                             String.format(java.util.Locale.ROOT, "%.0f ms", cpu),
                             nodeForkCpuMs == null ? "" : "fork → first answer: " + nodeForkCpuMs.ms() + " · live",
                             "≤ 300 ms", cpu <= 300));
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }


    // --- fresh connections (issue 10), beside the Node.js reference -------------------------------

    private static FreshBench.Target revenant(int port) {
        return FreshBench.Target.revenant(port);
    }

    /**
     * (a) calm: req/s, p50, p99 with {@link #CLIENTS} fresh-connection clients, {@link #FRESH_WORKERS}
     * workers on both sides (Revenant + its spare); (b) the same clients while the answering
     * worker is killed through the port every {@link #KILL_PERIOD}, with 2 and 1 workers.
     */
    private void fresh() throws Exception {
        FreshConnectionLoad.Report revenantCalm;
        FreshConnectionLoad.Report nodeCalm;
        try (DirectRun run = DirectRun.start("fresh-calm", supervisor, PORT, ADMIN, FRESH_WORKERS, workerOptions, 1)) {
            run.awaitReady(READY_TIMEOUT);
            revenantCalm = FreshBench.calm(revenant(PORT), CLIENTS, WARMUP, MEASURE);
        }
        try (NodeRun node = NodeRun.start("fresh-calm", NODE_REF, NODE_PORT, FRESH_WORKERS)) {
            node.awaitReady(READY_TIMEOUT);
            nodeCalm = FreshBench.calm(FreshBench.Target.node(NODE_PORT), CLIENTS, WARMUP, MEASURE);
        }
        rows.add(new Row("fresh connection per GET, calm, " + FRESH_WORKERS + " workers (Revenant + 1 spare), "
                         + CLIENTS + " clients · live", calmCell(revenantCalm), calmCell(nodeCalm),
                         "≥ 1.5× Node req/s, p99 ≤ Node",
                         revenantCalm.failed() == 0 && revenantCalm.goodput() >= 1.5 * nodeCalm.goodput()
                         && revenantCalm.percentileMs(99) <= nodeCalm.percentileMs(99)));
        for (int workers : List.of(2, 1)) {
            FreshBench.Storm revenantStorm;
            FreshBench.Storm nodeStorm;
            try (DirectRun run = DirectRun.start("fresh-kills-" + workers, supervisor, PORT, ADMIN, workers, workerOptions, 1)) {
                run.awaitReady(READY_TIMEOUT);
                long idle = ProcStatus.rssKib(run.pid());
                try (RssSampler sampler = new RssSampler(List.of(run.pid()))) {
                    revenantStorm = FreshBench.storm(revenant(PORT), CLIENTS, CHAOS, KILL_PERIOD);
                    long peak = sampler.peaks().getOrDefault(run.pid(), -1L);
                    rows.add(new Row("supervisor RSS before / peak during the kill storm below (" + workers + " worker"
                                     + (workers > 1 ? "s" : "") + " + 1 spare)", mib(List.of(idle)) + " / " + mib(List.of(peak)),
                                     "", "≤ 48 MiB, flat", peak > 0 && peak <= 48 * 1024));
                }
            }
            try (NodeRun node = NodeRun.start("fresh-kills-" + workers, NODE_REF, NODE_PORT, workers)) {
                node.awaitReady(READY_TIMEOUT);
                nodeStorm = FreshBench.storm(FreshBench.Target.node(NODE_PORT), CLIENTS, CHAOS, KILL_PERIOD);
            }
            rows.add(new Row("fresh connections, a kill every " + KILL_PERIOD.toMillis() + " ms for " + CHAOS.toSeconds()
                             + " s, direct, " + workers + " worker" + (workers > 1 ? "s" : "") + " (Revenant + 1 spare), "
                             + CLIENTS + " clients · live", revenantStorm.cell(), nodeStorm.cell(),
                             "0 refused, goodput ≥ Node's", revenantStorm.load().refused() == 0
                             && revenantStorm.load().goodput() >= nodeStorm.load().goodput()));
        }
    }

    private static String calmCell(FreshConnectionLoad.Report r) {
        return String.format(java.util.Locale.ROOT, "%,.0f req/s · p50 %.2f ms · p99 %.2f ms%s", r.goodput(),
                             r.percentileMs(50), r.percentileMs(99),
                             r.failed() == 0 ? "" : " · " + r.failed() + " failed " + r.failuresByKind());
    }

    /**
     * (d) kill → a live worker accepting on the dead worker's socket: Revenant with 1 worker + 1
     * spare, Node with its 1 worker (it has no spare), {@link #KILLS} kills each.
     */
    private void takeover() throws Exception {
        FreshBench.Takeover revenantTakeover;
        FreshBench.Takeover nodeTakeover;
        try (DirectRun run = DirectRun.start("takeover", supervisor, PORT, ADMIN, 1, workerOptions, 1)) {
            run.awaitReady(READY_TIMEOUT);
            revenantTakeover = FreshBench.takeover(revenant(PORT), FreshBench.revenant(run, READY_TIMEOUT), KILLS,
                                                   READY_TIMEOUT);
        }
        try (NodeRun node = NodeRun.start("takeover", NODE_REF, NODE_PORT, 1)) {
            node.awaitReady(READY_TIMEOUT);
            nodeTakeover = FreshBench.takeover(FreshBench.Target.node(NODE_PORT), FreshBench.node(node, READY_TIMEOUT),
                                               KILLS, READY_TIMEOUT);
        }
        rows.add(new Row("kill (its HTTP kill request) → first fresh connection answered by another worker, median;"
                         + " Revenant 1 worker + 1 spare, Node 1 worker (no spare) · live", revenantTakeover.cell(),
                         nodeTakeover.cell(), "< 5 ms median", revenantTakeover.median() < 5));
    }

    // --- through nginx ---------------------------------------------------------------------------

    private void stack() throws Exception {
        Path dir = OUT.resolve("stack");
        Files.createDirectories(dir);
        String yaml = Files.readString(Path.of(System.getProperty("bench.config", "config/application.yaml")));
        if (!yaml.contains("port: 3000")) {
            throw new IllegalStateException("the config has no \"port: 3000\" to move to the bench's port " + PORT);
        }
        Path config = dir.resolve("application.yaml");
        // containers publish on server.port + 1, + 2: the bench's own ports, not a dev stack's
        Files.writeString(config, yaml.replace("port: 3000", "port: " + PORT).replace("workers: auto", "workers: 1"));
        int nginxPort = Integer.getInteger("bench.nginx-port", 7333);
        List<String> make = new ArrayList<>(List.of("make", "--no-print-directory", "STACK_RENDER_DEPS=",
                "CONFIG=" + config, "PROJECT=" + System.getProperty("bench.project", "revenant-bench"),
                "NGINX_PORT=" + nginxPort, "IMAGE=" + System.getProperty("bench.image", "revenant-bench:latest"),
                "STACK_DIR=" + STACK_OUT));
        String engine = System.getProperty("bench.engine", "");
        if (!engine.isBlank()) {
            make.add("ENGINE=" + engine);
        }
        String nginxConf;
        FreshConnectionLoad.Report revenantCalm;
        FreshBench.Storm revenantStorm;
        try {
            exec("stack-up", Duration.ofMinutes(5), concat(make, "up"));
            URI nginx = URI.create("http://127.0.0.1:" + nginxPort + "/");
            Wrk.run(nginx.toString(), WARMUP);
            List<Long> pids = containerPids(engine, System.getProperty("bench.project", "revenant-bench"));
            Wrk.Result result;
            Map<Long, Long> peaks;
            try (RssSampler sampler = new RssSampler(pids)) {
                result = Wrk.run(nginx.toString(), MEASURE);
                peaks = sampler.peaks();
            }
            rows.add(new Row("GET / through nginx (keepalive), 2 containers × 1 worker" + spareNote(), result.cell(), "15.7k req/s",
                             "≥ 15.7k req/s", result.rps() >= 15_700));
            if (!pids.isEmpty()) {
                rows.add(new Row("RSS in the containers under load: supervisors / workers", peaks.entrySet().stream()
                        .map(e -> e.getKey() + "=" + (e.getValue() >> 10)).collect(Collectors.joining(" ")) + " MiB (pid=MiB)",
                        "", "", null));
            }
            ChaosLoad.Outcome chaos = ChaosLoad.run(nginx, 32, CHAOS, Duration.ofMillis(100));
            rows.add(new Row("chaos through nginx: kill every 100 ms, 32 connections, 2 containers × 1 worker" + spareNote(), chaos.cell(), "—", "0 failed",
                             chaos.failures() == 0));
            nginxConf = Files.readString(Path.of(STACK_OUT, "nginx/default.conf"));
            revenantCalm = FreshBench.calm(revenant(nginxPort), CLIENTS, WARMUP, MEASURE);
            revenantStorm = FreshBench.storm(revenant(nginxPort), CLIENTS, CHAOS, KILL_PERIOD);
        } finally {
            exec("stack-down", Duration.ofMinutes(2), concat(make, "down"));
        }
        String node;
        double nodeShare = Double.NaN;
        try {
            NginxStorm nodeRun = nodeThroughNginx(nginxConf, engine);
            nodeShare = nodeRun.share();
            node = nodeRun.cell();
        } catch (Exception e) {
            node = "failed: " + e.getMessage();
            notes.add("**Node.js through nginx failed**: " + e.getMessage());
        }
        NginxStorm ours = new NginxStorm(revenantCalm, revenantStorm);
        rows.add(new Row("through nginx, fresh connections, a kill every " + KILL_PERIOD.toMillis() + " ms for "
                         + CHAOS.toSeconds() + " s: goodput as a share of calm · p99; 2 containers × 1 worker"
                         + spareNote() + " (Node: 2 clusters × 1 worker behind the same nginx config) · live",
                         ours.cell(), node, "share ≥ Node's, p99 ≤ 100 ms",
                         ours.share() >= nodeShare && revenantStorm.load().percentileMs(99) <= 100));
    }

    /** Calm and kill-storm figures of one side through nginx. */
    private record NginxStorm(FreshConnectionLoad.Report calm, FreshBench.Storm storm) {

        double share() {
            return calm.goodput() == 0 ? 0 : storm.load().goodput() / calm.goodput();
        }

        String cell() {
            return String.format(java.util.Locale.ROOT, "**%.0f %%** (%,.0f of %,.0f req/s) · p99 %.0f ms (calm %.1f ms)"
                                 + " · %,d failed · %,d refused · %d kills%s", 100 * share(), storm.load().goodput(),
                                 calm.goodput(), storm.load().percentileMs(99), calm.percentileMs(99),
                                 storm.load().failed(), storm.load().refused(), storm.kills(),
                                 storm.load().failuresByKind().isEmpty() ? "" : " " + storm.load().failuresByKind());
        }
    }

    /**
     * Two Node.js clusters of 1 worker each (as 2 containers × 1 worker) on the host's loopback,
     * behind nginx from the same image with the config the bench stack was given, its upstream
     * lines pointed at the clusters and its listener at 127.0.0.1:{@link #NODE_NGINX_PORT} (host
     * network, so it reaches the host's loopback). Kills go through nginx as for Revenant.
     */
    private NginxStorm nodeThroughNginx(String renderedConf, String engine) throws Exception {
        String tool = engine.isBlank() ? "podman" : engine;
        String name = System.getProperty("bench.project", "revenant-bench") + "-node-nginx";
        Path dir = OUT.resolve("node-nginx").toAbsolutePath();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("default.conf"),
                          nodeNginxConf(renderedConf, List.of(NODE_PORT + 1, NODE_PORT + 2), NODE_NGINX_PORT));
        try (NodeRun first = NodeRun.start("nginx-1", NODE_REF, NODE_PORT + 1, 1);
             NodeRun second = NodeRun.start("nginx-2", NODE_REF, NODE_PORT + 2, 1)) {
            first.awaitReady(READY_TIMEOUT);
            second.awaitReady(READY_TIMEOUT);
            exec("node-nginx-rm", Duration.ofSeconds(30), List.of("bash", "-c", tool + " rm -f " + name + " >/dev/null 2>&1; true"));
            exec("node-nginx-run", Duration.ofMinutes(1), List.of(tool, "run", "-d", "--rm", "--name", name, "--network", "host",
                    "-v", dir + ":/etc/nginx/conf.d:ro", NGINX_IMAGE));
            try {
                long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
                FreshBench.Target target = FreshBench.Target.node(NODE_NGINX_PORT);
                while (true) {
                    try {
                        if (Http.request(NODE_NGINX_PORT, "GET", "/", Http.ACCEPT_JSON, Duration.ofMillis(2000)).status() == 200) {
                            break;
                        }
                    } catch (IOException e) {
                        // nginx not listening yet
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("nginx in front of Node.js did not answer on " + NODE_NGINX_PORT);
                    }
                    Thread.sleep(50);
                }
                FreshConnectionLoad.Report calm = FreshBench.calm(target, CLIENTS, WARMUP, MEASURE);
                FreshBench.Storm storm = FreshBench.storm(target, CLIENTS, CHAOS, KILL_PERIOD);
                return new NginxStorm(calm, storm);
            } finally {
                exec("node-nginx-logs", Duration.ofMinutes(1), List.of("bash", "-c", tool + " logs " + name + " 2>&1 | tail -2000; true"));
                exec("node-nginx-stop", Duration.ofMinutes(1), List.of("bash", "-c", tool + " rm -f -t 2 " + name + " >/dev/null 2>&1; true"));
            }
        }
    }

    /**
     * The stack's rendered nginx config for the Node.js clusters: each distinct upstream address
     * ({@code app1:3000}, {@code app2:3000}) becomes 127.0.0.1 and the next port, in order of first
     * appearance; the listener becomes loopback on {@code listen}. Every other knob stays.
     */
    static String nodeNginxConf(String conf, List<Integer> ports, int listen) {
        java.util.Map<String, Integer> mapped = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(\\s*server\\s+)([A-Za-z0-9._-]+:\\d+)").matcher(conf);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int port = mapped.computeIfAbsent(m.group(2), k -> ports.get(mapped.size() % ports.size()));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(m.group(1) + "127.0.0.1:" + port));
        }
        m.appendTail(out);
        return out.toString().replaceAll("(?m)^\\s*listen\\s+\\[::]:80\\s*;.*$", "")
                .replaceAll("(?m)^(\\s*listen\\s+)80\\s*;", "$1127.0.0.1:" + listen + ";");
    }

    private String spareNote() {
        return configSpare == 0 ? "" : " (+ " + configSpare + " spare each, as configured)";
    }

    /** Host pids of each app container's supervisor (PID 1) and its workers. */
    private static List<Long> containerPids(String engine, String project) throws IOException, InterruptedException {
        String tool = engine.isBlank() ? "podman" : engine;
        String names = exec("engine-ps", Duration.ofSeconds(30), List.of(tool, "ps", "--filter",
                "label=com.docker.compose.project=" + project, "--format", "{{.Names}}"));
        List<Long> pids = new ArrayList<>();
        for (String name : names.lines().filter(n -> n.contains("app")).toList()) {
            String pid = exec("engine-inspect", Duration.ofSeconds(30),
                              List.of(tool, "inspect", "--format", "{{.State.Pid}}", name.trim())).trim();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(supervisor -> {
                pids.add(supervisor.pid());
                supervisor.children().forEach(worker -> pids.add(worker.pid()));
            });
        }
        return pids;
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    /** Runs a command, output to target/bench/logs/NAME.log; its output, or an exception unless it exits 0. */
    private static String exec(String log, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path file = OUT.resolve("logs").resolve(log + ".log");
        Files.createDirectories(file.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            throw new IOException(String.join(" ", command) + " still running after " + timeout.toSeconds() + " s");
        }
        String output = Files.readString(file, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + "; see " + file);
        }
        return output;
    }

    // --- the table -------------------------------------------------------------------------------

    private String render(Path config, Instant started, String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("**`make bench`, ").append(started.truncatedTo(ChronoUnit.SECONDS)).append("**\n\n")
                .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(cpuModel()).append("), Linux ").append(read("/proc/sys/kernel/osrelease"))
                .append(", JDK ").append(System.getProperty("java.vm.vendor")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(", wrk -t").append(Wrk.THREADS)
                .append(" -c").append(Wrk.CONNECTIONS).append(" (").append(WARMUP.toSeconds()).append(" s warm-up, ")
                .append(MEASURE.toSeconds()).append(" s measured) on the same cores. Load average before / after: ")
                .append(loadBefore).append(" / ").append(loadAfter).append(".\n\n")
                .append("Worker options (").append(config).append("): `").append(String.join(" ", workerOptions))
                .append("`  \nSupervisor: `").append(String.join(" ", supervisor.subList(1, supervisor.size())))
                .append("`\n\n")
                .append("Rows marked **live** ran the Node.js reference (").append(NODE_REF)
                .append(") in this run, one side after the other, with the same worker count, load and client; the other")
                .append(" Node.js figures are those of issue 5. Fresh-connection client: `io.revenant.testing.FreshConnectionLoad`, ")
                .append(CLIENTS).append(" Java platform threads, each opening a new TCP connection per `GET /`")
                .append(" (`Connection: close`), no retry; refused = the connect was refused; kills are one HTTP kill request")
                .append(" per period at most (Revenant `POST /chaos/kill`, Node `GET /workerKiller`), on a fresh connection to")
                .append(" the same port as the load.\n\n")
                .append("| measure | Revenant | Node.js cluster reference | target |\n|---|---|---|---|\n");
        rows.forEach(row -> md.append(row.markdown()).append('\n'));
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        return md.toString();
    }

    private static String mib(List<Long> kib) {
        return kib.stream().map(k -> k < 0 ? "?" : Long.toString(k >> 10)).collect(Collectors.joining(", ")) + " MiB";
    }

    private static String loadAverage() {
        String[] fields = read("/proc/loadavg").split(" ");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "?";
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
