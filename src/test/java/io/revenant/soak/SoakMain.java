package io.revenant.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.supervisor.ProcStatus;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.KeepAliveLoad;
import io.revenant.testing.KillLoop;

/**
 * {@code make soak}: the real supervisor under a kill every 100 ms and a loopback GET load
 * (fresh-connection clients and keep-alive clients) for {@code soak.seconds}, sampled every
 * {@code soak.sample-seconds}: RSS, fds, threads, zombie children and workers of the
 * supervisor. Prints the series and fails (exit 1) when {@link SoakVerdict} finds growth past a
 * bound; exit 2 when it cannot start.
 *
 * <p>Arguments: {@code -- <supervisor java command up to the config path>} (the Makefile's
 * {@code SUPERVISOR_JAVA_CACHED}). Knobs (system properties, set by the Makefile):
 * {@code soak.seconds}, {@code soak.sample-seconds}, {@code soak.port}, {@code soak.admin-port},
 * {@code soak.config}, {@code soak.workers}, {@code soak.fresh-clients},
 * {@code soak.keepalive-clients}, {@code soak.out}.
 */
public final class SoakMain {

    static final Duration KILL_PERIOD = Duration.ofMillis(100);
    /** A worker JVM start on 2 cores shared with other builds: 14-15 s measured (it tests); the whole pool at first start. */
    private static final Duration START = Duration.ofSeconds(90);
    /** The loads stop by themselves this long after the kills, whatever happens to the driver. */
    private static final Duration LOAD_SLACK = Duration.ofSeconds(30);

    private final Duration duration = Duration.ofSeconds(Long.getLong("soak.seconds", 300));
    private final Duration samplePeriod = Duration.ofSeconds(Long.getLong("soak.sample-seconds", 10));
    private final int port = Integer.getInteger("soak.port", 7200);
    private final int adminPort = Integer.getInteger("soak.admin-port", 7210);
    private final int freshClients = Integer.getInteger("soak.fresh-clients", 4);
    private final int keepAliveClients = Integer.getInteger("soak.keepalive-clients", 4);
    private final Path out = Path.of(System.getProperty("soak.out", "target/soak"));
    private final List<String> report = new ArrayList<>();

    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        int dash = Arrays.asList(args).indexOf("--");
        if (dash < 0 || dash == args.length - 1) {
            System.err.println("usage: SoakMain -- <supervisor java command up to the config path>");
            System.exit(2);
        }
        List<String> supervisor = Arrays.asList(args).subList(dash + 1, args.length);
        System.exit(new SoakMain().run(supervisor));
    }

    private int run(List<String> supervisorCommand) throws IOException, InterruptedException {
        for (int p : List.of(port, adminPort)) {
            if (!free(p)) {
                System.err.println("soak: port " + p + " on 127.0.0.1 is in use; choose others with SOAK_PORT=…"
                                   + " SOAK_ADMIN_PORT=…");
                return 2;
            }
        }
        Files.createDirectories(out);
        Path source = Path.of(System.getProperty("soak.config", "config/application.yaml"));
        Path config = out.resolve("application.yaml");
        RevenantConfig loaded;
        try {
            Files.writeString(config, SoakYaml.rewrite(Files.readString(source), port, adminPort,
                                                       System.getProperty("soak.workers", "")));
            loaded = ConfigLoader.load(config);
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("soak: cannot make a soak config from " + source + ": " + e.getMessage());
            return 2;
        }
        int spares = loaded.supervisor().spare();
        print("soak: " + duration.toSeconds() + " s, a kill every " + KILL_PERIOD.toMillis() + " ms, "
              + freshClients + " fresh-connection + " + keepAliveClients + " keep-alive GET clients on 127.0.0.1:"
              + port + ", admin " + adminPort + ", a sample every " + samplePeriod.toSeconds() + " s; config "
              + config + " (from " + source + "), supervisor output " + out.resolve("supervisor.log"));

        SoakSupervisor supervisor = SoakSupervisor.start(supervisorCommand, config, out.resolve("supervisor.log"));
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            try {
                supervisor.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return soak(supervisor, spares);
        } finally {
            supervisor.close();
            Runtime.getRuntime().removeShutdownHook(hook);
            Files.writeString(out.resolve("series.txt"), String.join("\n", report) + "\n");
        }
    }

    private int soak(SoakSupervisor supervisor, int spares) throws InterruptedException {
        Optional<AdminStatus> started = awaitWhole(supervisor, spares, START);
        if (started.isEmpty()) {
            print("soak: the pool was not whole within " + START.toSeconds() + " s of the start (exit code "
                  + supervisor.exitCode() + "); last output:\n" + supervisor.tail(30));
            return 2;
        }
        print("soak: supervisor pid " + supervisor.pid() + ", " + started.get().workers() + " worker(s) READY, "
              + spares + " spare(s) warm");
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        List<Sample> series = new ArrayList<>();
        FreshConnectionLoad fresh = new FreshConnectionLoad("soak", "127.0.0.1", port, "/", freshClients,
                duration.plus(LOAD_SLACK), FreshConnectionLoad.CLIENT_TIMEOUT, FreshConnectionLoad.REVENANT);
        KeepAliveLoad keepAlive = new KeepAliveLoad(base, keepAliveClients, duration.plus(LOAD_SLACK),
                                                    KeepAliveLoad.Unanswered.RETRY_ONCE);
        KillLoop kills = new KillLoop(base, KILL_PERIOD, duration);
        long begin = System.nanoTime();
        String loads;
        try {
            print(Sample.header());
            for (long t = 0; t <= duration.toSeconds(); t += samplePeriod.toSeconds()) {
                long at = begin + Duration.ofSeconds(t).toNanos();
                while (System.nanoTime() < at) {
                    Thread.sleep(Duration.ofNanos(Math.min(at - System.nanoTime(), 200_000_000)));
                }
                Sample sample = sample(supervisor, t, kills, fresh, keepAlive);
                series.add(sample);
                print(sample.row());
                if (supervisor.exitCode() >= 0) {
                    break;
                }
            }
        } finally {
            kills.close();
            FreshConnectionLoad.Report freshReport = fresh.stop();
            KeepAliveLoad.Report keepAliveReport = keepAlive.stop();
            loads = "fresh-connection GETs: " + freshReport + "\nkeep-alive GETs: " + keepAliveReport
                    + "\nkills: " + kills.kills() + " answered 202 of " + kills.attempts() + " sent";
        }
        print(loads);
        Optional<AdminStatus> whole = awaitWhole(supervisor, spares, SoakVerdict.RECOVERY);
        AdminStatus last = whole.or(() -> AdminStatus.read(adminPort))
                .orElse(new AdminStatus(-1, -1, Map.of(), List.of()));
        long workerJvms = ProcessProbe.children(supervisor.pid()).stream().filter(ProcessProbe.Child::worker).count();
        SoakVerdict.End end = new SoakVerdict.End(supervisor.exitCode(), last.workers(), last.ready(), spares, last.warmSpares(),
                                  workerJvms, kills.kills(), kills.attempts(), last.chaosRestarts());
        print("end (after up to " + SoakVerdict.RECOVERY.toSeconds() + " s of recovery): " + end
              + " restarts-by-cause=" + last.restartsByCause());
        List<String> violations = SoakVerdict.violations(series, end);
        if (violations.isEmpty()) {
            print("soak: PASSED, flat: " + bounds());
            return 0;
        }
        print("soak: FAILED (" + bounds() + "):\n  - " + String.join("\n  - ", violations)
              + "\nsupervisor output: " + out.resolve("supervisor.log"));
        return 1;
    }

    private static String bounds() {
        return "RSS growth ≤ min(" + SoakVerdict.MAX_RSS_GROWTH_KIB / 1024 + " MiB, "
               + Math.round(SoakVerdict.MAX_RSS_GROWTH_RATIO * 100) + " %), fds ≤ +" + SoakVerdict.MAX_FD_GROWTH
               + ", threads ≤ +" + SoakVerdict.MAX_THREAD_GROWTH + " (medians of the last vs the first third after "
               + SoakVerdict.WARM_UP.toSeconds() + " s of warm-up), no zombie after "
               + SoakVerdict.ZOMBIE_GRACE.toMillis() + " ms, answers in every interval, pool whole within "
               + SoakVerdict.RECOVERY.toSeconds() + " s after the last kill";
    }

    private Sample sample(SoakSupervisor supervisor, long seconds, KillLoop kills, FreshConnectionLoad fresh,
                          KeepAliveLoad keepAlive) throws InterruptedException {
        long pid = supervisor.pid();
        List<ProcessProbe.Child> children = ProcessProbe.children(pid);
        supervisor.remember(children);
        List<ProcessProbe.Child> zombies = children.stream().filter(c -> c.state() == 'Z').toList();
        // a zombie seen now counts only if it is still one when the grace has passed
        long graceEnd = System.nanoTime() + SoakVerdict.ZOMBIE_GRACE.toNanos();
        long lingering = zombies.size();
        while (lingering > 0 && System.nanoTime() < graceEnd) {
            Thread.sleep(50);
            lingering = zombies.stream().filter(z -> ProcessProbe.zombieOf(z.pid(), pid)).count();
        }
        Optional<AdminStatus> status = AdminStatus.read(adminPort);
        long freshFailed = fresh.requests() - fresh.answered();
        return new Sample(seconds, ProcStatus.rssKib(pid), ProcessProbe.fds(pid), ProcStatus.threads(pid),
                          lingering, status.map(AdminStatus::ready).orElse(-1),
                          children.stream().filter(ProcessProbe.Child::worker).count(), kills.kills(),
                          status.map(AdminStatus::restarts).orElse(-1L),
                          fresh.answered() + keepAlive.requests() - keepAlive.failures(),
                          freshFailed + keepAlive.failures());
    }

    /** Polls /status until every worker is READY and every spare warm; the status then, or empty at the deadline. */
    private Optional<AdminStatus> awaitWhole(SoakSupervisor supervisor, int spares, Duration deadline)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end && supervisor.exitCode() < 0) {
            Optional<AdminStatus> status = AdminStatus.read(adminPort)
                    .filter(s -> s.workers() > 0 && s.ready() == s.workers() && s.warmSpares() == spares);
            if (status.isPresent()) {
                return status;
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void print(String line) {
        System.out.println(line);
        System.out.flush();
        report.add(line);
    }
}
