package io.revenant.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.testing.Await;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.KillLoop;
import io.revenant.testing.Root;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 10: the supervisor owns the public listening socket and every worker accepts on a copy,
 * so a worker's death, a reload or a replacement never leaves the port without a listener.
 * Clients open a fresh connection per request, straight to the port (no nginx, no retries).
 */
class ListeningSocketIntegrationTest {

    static final Duration BOOT = Duration.ofSeconds(30);
    static final Duration REPLACE = RunningSupervisor.START_UNDER_LOAD;
    static final int CLIENTS = 8;
    static final Duration STORM = Duration.ofSeconds(15);
    static final Duration KILL_EVERY = Duration.ofMillis(200);
    /** nobody:nogroup, the unprivileged user of the test that needs one. */
    static final int NOBODY = 65534;
    static final List<String> AS_NOBODY = List.of("setpriv", "--reuid", Integer.toString(NOBODY),
                                                  "--regid", Integer.toString(NOBODY), "--clear-groups");

    @TempDir
    Path dir;

    @BeforeEach
    void nothingDependsOnTcpMigrateReq() {
        Sysctl.assertTcpMigrateReqOff("on the host, before the test");
    }

    @Test
    void aWorkerKilledEvery200msFor15sRefusesNoConnection_twoWorkersOneSpare() throws Exception {
        killStorm("kill-storm-2w-1s", 2, 1);
    }

    @Test
    void aWorkerKilledEvery200msFor15sRefusesNoConnection_oneWorkerOneSpare() throws Exception {
        killStorm("kill-storm-1w-1s", 1, 1);
    }

    @Test
    void aSigkilledWorkerRefusesNoConnection_twoWorkersNoSpare() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("sigkill-2w", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 2}
                """)) {
            supervisor.awaitReadyWorkers(2, BOOT);
            try (FreshConnectionLoad load = new FreshConnectionLoad("SIGKILL, 2 workers, no spare", supervisor.port,
                                                                    CLIENTS)) {
                int kills = sigkillUnderLoad(supervisor, load, 2, 2, false);
                String summary = load.finish();
                System.out.println("  kills=" + kills);
                Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
                assertNoneRefusedAndFewFailed(summary, load, kills);
            }
        }
    }

    /**
     * SIGHUP, then an edit that changes worker.jvm-options: each replaces the worker under load.
     * One worker, so no other worker covers the hand-over: the new one must accept on the socket
     * before the old one stops (max-requests recycling: SupervisionIntegrationTest).
     */
    @Test
    void aSighupReloadAndAnEditThatReplacesTheWorkersFailNoRequest() throws Exception {
        String yaml = """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1}
                worker: {jvm-options: [-Drevenant.test.generation=GENERATION]}
                """;
        try (RunningSupervisor supervisor = RunningSupervisor.start("reload-edit", dir, yaml.replace("GENERATION", "1"))) {
            supervisor.awaitReadyWorkers(1, BOOT);
            replaceUnderLoad(supervisor, "SIGHUP reload",
                                 () -> assertThat(Processes.signal(supervisor.supervisorPid(), Signal.HUP), is(true)));
            supervisor.awaitLine("event=reload origin=signal .* replace=1", BOOT);
            replaceUnderLoad(supervisor, "edit of worker.jvm-options",
                                 () -> supervisor.rewrite(yaml.replace("GENERATION", "2")));
            supervisor.awaitLine("event=reload origin=file .* replace=1", BOOT);
            Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
        }
    }

    /**
     * {@code make run} as any user: the supervisor and its workers run as nobody, with no
     * capability and no sysctl, and a SIGKILLed worker refuses no connection.
     */
    @Test
    void asAnUnprivilegedUserAKilledWorkerRefusesNoConnection() throws Exception {
        Root.require(AS_NOBODY, "starts the supervisor as uid " + NOBODY + ": setting another uid and gid needs"
                                + " CAP_SETUID and CAP_SETGID");
        String classpath = classpathReadableByNobody();
        // the config and the copies live under the test's temporary directory: nobody must reach them
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (RunningSupervisor supervisor = RunningSupervisor.start("unprivileged", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1, spare: 1}
                """, AS_NOBODY, classpath)) {
            List<Long> ready = supervisor.awaitReadyWorkers(1, BOOT);
            supervisor.awaitLine("event=spare-ready", BOOT);
            assertThat("uid of the supervisor\n" + supervisor.tail(), Root.uidOf(supervisor.process().pid()), is((long) NOBODY));
            assertThat("uid of worker " + ready.getFirst(), Root.uidOf(ready.getFirst()), is((long) NOBODY));
            try (FreshConnectionLoad load = new FreshConnectionLoad("as nobody, SIGKILL, 1 worker + 1 spare",
                                                                    supervisor.port, CLIENTS)) {
                int kills = sigkillUnderLoad(supervisor, load, 2, 1, true);
                String summary = load.finish();
                System.out.println("  kills=" + kills);
                Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
                assertNoneRefusedAndFewFailed(summary, load, kills);
            }
            assertThat(supervisor.allLines("event=spare-bind"), hasSize(2));
        }
    }

    // ---- kill storm ----------------------------------------------------------------------------

    /**
     * {@code workers} + {@code spares}, the chaos endpoint on; {@value #CLIENTS} fresh-connection
     * clients; POST /chaos/kill every {@link #KILL_EVERY} for {@link #STORM}.
     */
    private void killStorm(String name, int workers, int spares) throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start(name, dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: WORKERS, spare: SPARES}
                chaos: {kill-endpoint: true}
                """.replace("WORKERS", Integer.toString(workers)).replace("SPARES", Integer.toString(spares)))) {
            supervisor.awaitReadyWorkers(workers, BOOT);
            Await.until(() -> spares + " spare(s) ready\n" + supervisor.tail(), BOOT,
                        () -> supervisor.allLines("event=spare-ready").size() >= spares);
            try (FreshConnectionLoad load = new FreshConnectionLoad(name + ": " + workers + " worker(s) + " + spares
                                                                    + " spare, a kill every " + KILL_EVERY.toMillis()
                                                                    + " ms for " + STORM.toSeconds() + " s",
                                                                    supervisor.port, CLIENTS)) {
                Await.until("load flowing", Duration.ofSeconds(10), () -> load.answered() > 100);
                String killerFigures;
                long killerRefused;
                try (KillLoop killer = new KillLoop("127.0.0.1", supervisor.port, "POST", "/chaos/kill", KILL_EVERY, STORM,
                                                    FreshConnectionLoad.REQUEST_TIMEOUT)) {
                    killer.join();   // the storm's length is the measurement, not a wait for a condition
                    killerFigures = killer.toString();
                    killerRefused = killer.refused();
                }
                supervisor.awaitReadyWorkers(workers, REPLACE);
                long afterStorm = load.answered();
                Await.until("load served after the storm", Duration.ofSeconds(10), () -> load.answered() > afterStorm + 100);
                String summary = load.finish();
                int kills = supervisor.allLines("event=worker-exit .* code=86 cause=chaos-kill").size();
                System.out.println("  kills=" + kills + " (workers that exited 86); " + killerFigures);
                Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
                assertThat(killerFigures, killerRefused, is(0L));
                // a kill waits in the queue like any request while no worker is up, so a slow
                // machine gets fewer kills in; a storm is still a storm with a few in a row
                assertThat("kills\n" + killerFigures, kills, greaterThanOrEqualTo(3));
                assertNoneRefusedAndFewFailed(summary, load, kills);
            }
        }
    }

    // ---- SIGKILL -------------------------------------------------------------------------------

    /**
     * SIGKILLs a READY worker {@code times} times, each time waiting until the pool is whole again
     * (and, with a spare, a new spare is warm) and the load has been served by it.
     *
     * @return the kills
     */
    private static int sigkillUnderLoad(RunningSupervisor supervisor, FreshConnectionLoad load, int times,
                                        int workers, boolean spare) {
        Await.until("load flowing", Duration.ofSeconds(10), () -> load.answered() > 100);
        for (int kill = 1; kill <= times; kill++) {
            long victim = supervisor.awaitReadyWorkers(workers, BOOT).getFirst();
            int sparesReady = supervisor.allLines("event=spare-ready").size();
            assertThat(Processes.signal(victim, Signal.KILL), is(true));
            Await.until("worker " + victim + " gone", Duration.ofSeconds(5), () -> !RunningSupervisor.alive(victim));
            supervisor.awaitLine("event=worker-exit slot=\\d+ worker=\\d+ pid=" + victim + " .*cause=signal detail=signal:KILL",
                                 BOOT);
            Await.until(() -> workers + " ready workers without " + victim + "\n" + supervisor.tail(), REPLACE, () -> {
                List<Long> pids = supervisor.readyPids();
                return pids.size() == workers && !pids.contains(victim);
            });
            if (spare) {
                Await.until(() -> "a new spare warm\n" + supervisor.tail(), REPLACE,
                            () -> supervisor.allLines("event=spare-ready").size() > sparesReady);
            }
            long atKill = load.answered();
            Await.until("load served after kill " + kill, Duration.ofSeconds(10), () -> load.answered() > atKill + 100);
        }
        return times;
    }

    private static void assertNoneRefusedAndFewFailed(String summary, FreshConnectionLoad load, int kills) {
        assertThat(summary, load.refused(), is(0L));
        // only the requests already inside a dying worker may fail: at most one per client and kill
        assertThat(summary, load.failed(), lessThanOrEqualTo((long) kills * CLIENTS));
    }

    // ---- reload --------------------------------------------------------------------------------

    interface Trigger {
        void run() throws Exception;
    }

    /** Runs {@code trigger} under load and waits until the worker is a new one that serves: 0 failed. */
    private static void replaceUnderLoad(RunningSupervisor supervisor, String what, Trigger trigger) throws Exception {
        List<Long> before = supervisor.awaitReadyWorkers(1, BOOT);
        int stoppedBefore = supervisor.allLines("event=worker-exit .*cause=requested").size();
        try (FreshConnectionLoad load = new FreshConnectionLoad(what + " under load, 1 worker", supervisor.port, CLIENTS)) {
            Await.until("load flowing", Duration.ofSeconds(10), () -> load.answered() > 100);
            trigger.run();
            List<Long> after = Await.until(() -> what + ": the worker replaced and the old one gone\n" + supervisor.tail(),
                                           REPLACE, () -> {
                List<Long> pids = supervisor.readyPids();
                boolean replaced = pids.size() == 1 && pids.stream().noneMatch(before::contains)
                                   && supervisor.allLines("event=worker-exit .*cause=requested").size() > stoppedBefore
                                   && before.stream().noneMatch(RunningSupervisor::alive);
                return replaced ? Optional.of(pids) : Optional.empty();
            });
            long atSwitch = load.answered();
            Await.until("load served by the new workers", Duration.ofSeconds(10), () -> load.answered() > atSwitch + 100);
            String summary = load.finish();
            assertThat(summary, load.failed(), is(0L));
            assertThat(summary, load.pids().containsAll(after.stream().map(String::valueOf).toList()), is(true));
        }
    }

    // ---- unprivileged --------------------------------------------------------------------------

    /**
     * This JVM's classpath, with every entry nobody cannot read (the dependencies in root's
     * ~/.m2, for one) replaced by a world-readable copy under the test's directory.
     */
    private String classpathReadableByNobody() throws IOException, InterruptedException {
        List<String> entries = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> Files.exists(Path.of(entry))).toList();
        List<String> check = new ArrayList<>(AS_NOBODY);
        check.addAll(List.of("sh", "-c", "for p; do if [ -d \"$p\" ]; then [ -r \"$p\" ] && [ -x \"$p\" ] || echo \"$p\";"
                                         + " else [ -r \"$p\" ] || echo \"$p\"; fi; done", "sh",
                             Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        check.addAll(entries);
        Process checker;
        try {
            checker = new ProcessBuilder(check).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("cannot run setpriv (util-linux) to check what uid " + NOBODY + " may read: " + e.getMessage());
        }
        List<String> unreadable = new String(checker.getInputStream().readAllBytes()).lines().toList();
        assertThat("setpriv check exit; output " + unreadable, checker.waitFor(), is(0));
        assertThat("uid " + NOBODY + " cannot run this JVM's java binary", unreadable,
                   not(org.hamcrest.Matchers.hasItem(Path.of(System.getProperty("java.home"), "bin", "java").toString())));
        Path copies = Files.createDirectories(dir.resolve("classpath-for-nobody"));
        List<String> classpath = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Path entry = Path.of(entries.get(i));
            if (!unreadable.contains(entries.get(i))) {
                classpath.add(entries.get(i));
                continue;
            }
            Path copy = copies.resolve(i + "-" + entry.getFileName());
            copyWorldReadable(entry, copy);
            classpath.add(copy.toString());
        }
        System.out.println("classpath for uid " + NOBODY + ": " + unreadable.size() + " of " + entries.size()
                           + " entries copied to " + copies);
        return String.join(java.io.File.pathSeparator, classpath);
    }

    private static void copyWorldReadable(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : tree.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        Files.setPosixFilePermissions(to.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
