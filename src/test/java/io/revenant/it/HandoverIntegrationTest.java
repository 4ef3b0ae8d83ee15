package io.revenant.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.supervisor.SupervisorMain;
import io.revenant.testing.Await;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.Http;
import io.revenant.testing.WrkLoad;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Issue 15: a new supervisor takes the listening socket over from the one serving the port
 * (docs/deploys.md, "The hand-over"), under load from clients that never retry: fresh
 * connections, and kept-alive connections as wrk keeps them.
 */
class HandoverIntegrationTest {

    static final String TWO_WORKERS = """
            server: {host: 127.0.0.1, port: PORT}
            supervisor: {workers: 2}
            admin: {port: ADMIN}
            """;
    static final Duration BOOT = Duration.ofSeconds(60);
    static final Duration HANDOVER = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** Step 1: `revenant upgrade` on a running supervisor. */
    @Test
    void revenantUpgradeUnderLoadHandsTheSocketToANewSupervisorAndFailsNoRequest() throws Exception {
        long successor = -1;
        try (RunningSupervisor old = RunningSupervisor.start("handover-upgrade", dir, TWO_WORKERS)) {
            try {
                List<Long> oldWorkers = old.awaitReadyWorkers(2, BOOT);
                long oldPid = old.supervisorPid();
                long inode = onlyListener(old.port);
                assertThat(ListeningInode.heldBy(oldPid, inode), is(true));
                try (FreshConnectionLoad fresh = new FreshConnectionLoad("upgrade, fresh connections", old.port, 4);
                     WrkLoad kept = new WrkLoad("127.0.0.1", old.port, "/", 8, FreshConnectionLoad.REQUEST_TIMEOUT,
                                                FreshConnectionLoad.LIMIT)) {
                    Await.until("load flowing", Duration.ofSeconds(20), () -> fresh.answered() > 50 && kept.requests() > 200);
                    String oldInstance = Http.get(old.adminPort, "/status").field("instance");

                    Process command = new ProcessBuilder(RunningSupervisor.java(System.getProperty("java.class.path"),
                            SupervisorMain.class.getName(), "upgrade", old.config.toString()))
                            .redirectErrorStream(true).start();
                    assertThat(command.waitFor(HANDOVER.toSeconds(), TimeUnit.SECONDS), is(true));
                    String said = new String(command.getInputStream().readAllBytes());
                    assertThat(said + "\n" + old.tail(), command.exitValue(), is(0));

                    assertThat(old.tail(), old.awaitExit(HANDOVER), is(0));
                    Http.Response status = Await.until("the successor on the admin port", BOOT, () ->
                            Http.tryGet(old.adminPort, "/status").filter(r -> !r.field("pid").equals(Long.toString(oldPid))));
                    successor = Long.parseLong(status.field("pid"));
                    String newInstance = status.field("instance");
                    assertThat(successor, is(not(oldPid)));
                    assertThat(said, containsString("pid " + successor));
                    Await.until("both loads answered by the new instance", Duration.ofSeconds(30),
                                () -> kept.instances().contains(newInstance) && fresh.instances().contains(newInstance));
                    long at = kept.requests();
                    Await.until("more load on the new workers", Duration.ofSeconds(20), () -> kept.requests() > at + 200);

                    WrkLoad.Report keptReport = kept.stop();
                    String freshSummary = fresh.finish();
                    System.out.println("upgrade, kept-alive (wrk-like, never retried): " + keptReport);
                    assertThat(keptReport.toString(), keptReport.failures(), is(0L));
                    assertThat(freshSummary, fresh.failed() + fresh.refused(), is(0L));
                    assertThat(keptReport.instances(), is(java.util.Set.of(oldInstance, newInstance)));

                    List<Long> newWorkers = readyPids(old.adminPort);
                    assertThat(newWorkers, hasSize(2));
                    assertThat(newWorkers.stream().filter(oldWorkers::contains).toList(), is(empty()));
                    assertThat(onlyListener(old.port), is(inode));
                    assertThat(ListeningInode.heldBy(successor, inode), is(true));
                    assertThat(old.output(), containsString("event=handover-drain successor=" + successor));
                    assertThat(old.output(), containsString("from=predecessor"));
                }
            } finally {
                stopSuccessor(successor);
            }
        }
    }

    /** Step 2: a second supervisor started on the port in the same namespace takes over. */
    @Test
    void aSecondSupervisorOnThePortTakesOverAndTheFirstDrainsAndExits0() throws Exception {
        try (RunningSupervisor first = RunningSupervisor.start("handover-first", dir, TWO_WORKERS)) {
            List<Long> firstWorkers = first.awaitReadyWorkers(2, BOOT);
            long inode = onlyListener(first.port);
            Path secondDir = Files.createDirectories(dir.resolve("second"));
            try (WrkLoad kept = new WrkLoad("127.0.0.1", first.port, "/", 8, FreshConnectionLoad.REQUEST_TIMEOUT,
                                            FreshConnectionLoad.LIMIT);
                 RunningSupervisor second = RunningSupervisor.startBeside(first, "handover-second", secondDir,
                                                                          TWO_WORKERS)) {
                assertThat(first.tail(), first.awaitExit(HANDOVER), is(0));
                second.awaitLine("event=handover-done", BOOT);
                String secondInstance = Await.until("the second supervisor on the admin port", BOOT, () ->
                        Http.tryGet(first.adminPort, "/status").map(r -> r.field("instance")));
                assertThat(second.output(), containsString(secondInstance));
                Await.until("kept-alive load answered by the second", Duration.ofSeconds(30),
                            () -> kept.instances().contains(secondInstance));
                long at = kept.requests();
                Await.until("more load on the second's workers", Duration.ofSeconds(20), () -> kept.requests() > at + 200);
                WrkLoad.Report report = kept.stop();
                System.out.println("second supervisor, kept-alive (wrk-like, never retried): " + report);
                assertThat(report.toString(), report.failures(), is(0L));
                assertThat(report.instances(), hasSize(2));
                List<Long> secondWorkers = second.awaitReadyWorkers(2, BOOT);
                assertThat(secondWorkers.stream().filter(firstWorkers::contains).toList(), is(empty()));
                assertThat(onlyListener(first.port), is(inode));
                assertThat(ListeningInode.heldBy(second.supervisorPid(), inode), is(true));
                assertThat(first.output(), containsString("event=handover-drain"));
                assertThat(second.output(), containsString("from=predecessor"));
            }
        }
    }

    /** A successor that cannot start (here: the config it reads is invalid) changes nothing. */
    @Test
    void aSuccessorThatFailsLeavesTheServingSupervisorUntouched() throws Exception {
        try (RunningSupervisor serving = RunningSupervisor.start("handover-broken", dir, TWO_WORKERS)) {
            List<Long> workers = serving.awaitReadyWorkers(2, BOOT);
            long pid = serving.supervisorPid();
            long inode = onlyListener(serving.port);
            String instance = Http.get(serving.adminPort, "/status").field("instance");
            try (WrkLoad kept = new WrkLoad("127.0.0.1", serving.port, "/", 8, FreshConnectionLoad.REQUEST_TIMEOUT,
                                            FreshConnectionLoad.LIMIT)) {
                Await.until("load flowing", Duration.ofSeconds(20), () -> kept.requests() > 200);
                // the running supervisor rejects the edit and keeps its config; the successor reads it and exits 78
                serving.rewrite(TWO_WORKERS + "supervisor: {restart: sometimes}\n");
                serving.awaitLine("event=reload-rejected", BOOT);
                assertThat(Processes.signal(pid, Signal.USR2), is(true));
                serving.awaitLine("event=upgrade-failed successor=\\d+ code=78", HANDOVER);
                long at = kept.requests();
                Await.until("load still served", Duration.ofSeconds(20), () -> kept.requests() > at + 200);
                WrkLoad.Report report = kept.stop();
                System.out.println("failed upgrade, kept-alive (wrk-like, never retried): " + report);
                assertThat(report.toString(), report.failures(), is(0L));
                assertThat(report.instances(), is(java.util.Set.of(instance)));
            }
            assertThat(serving.process().isAlive(), is(true));
            assertThat(Http.get(serving.adminPort, "/status").field("pid"), is(Long.toString(pid)));
            assertThat(readyPids(serving.adminPort), is(workers));
            assertThat(onlyListener(serving.port), is(inode));
            assertThat(serving.output(), not(containsString("event=handover-drain")));
        }
    }

    private static long onlyListener(int port) throws Exception {
        List<Long> inodes = ListeningInode.onPort(port);
        assertThat("listening sockets on port " + port, inodes, hasSize(1));
        return inodes.get(0);
    }

    private static List<Long> readyPids(int adminPort) {
        return Http.tryGet(adminPort, "/status").map(Http.Response::readyPids).orElse(List.of());
    }

    /** The successor is nobody's child once its predecessor exits: stop it and its workers here. */
    private static void stopSuccessor(long pid) throws InterruptedException {
        Optional<ProcessHandle> handle = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (handle.isEmpty()) {
            return;
        }
        List<ProcessHandle> workers = handle.get().descendants().toList();
        handle.get().destroy();
        try {
            handle.get().onExit().get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            handle.get().destroyForcibly();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }
}
