package io.revenant.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.testing.Await;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.Http;
import io.revenant.testing.Root;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/** Restart policy, watchdog, graceful stop, reloads and PID 1 duties, against the real entrypoint. */
class SupervisionIntegrationTest {

    static final Duration BOOT = Duration.ofSeconds(30);
    static final Duration REPLACE = RunningSupervisor.START_UNDER_LOAD;
    /** PID 1 of new PID and network namespaces, loopback up: the supervisor as in a container. */
    static final List<String> OWN_NAMESPACES = List.of("unshare", "--net", "--pid", "--fork", "--mount-proc",
            "--kill-child", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\"");

    /** PID 1 of a new PID namespace, in the host's network namespace. */
    static final List<String> AS_PID_1 = List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child");

    @TempDir
    Path dir;

    @Test
    void aCrashLoopBacksOffThenGivesUpWithTheBootFailureCode() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("crash-loop", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor:
                  workers: 1
                  restart-sec: 500ms
                  restart-steps: 3
                  restart-max-delay-sec: 4
                  start-limit-burst: 4
                  start-limit-interval-sec: 60
                worker:
                  jvm-options: [-Xmx1k]     # the worker JVM cannot even boot
                """)) {
            long pid = supervisor.process().pid();
            // CPU of the loop itself, from the first failure on: the JVM's own boot (JIT, the
            // admin listener) costs 2-4 s here depending on the machine's load and is not the loop
            supervisor.awaitLine("event=worker-exit", Duration.ofSeconds(60));
            Duration atFirstExit = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
            supervisor.awaitLine("event=start-limit-hit", Duration.ofSeconds(60));
            Duration cpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO)
                    .minus(atFirstExit);
            assertThat(supervisor.awaitExit(BOOT), is(69));
            List<Long> delays = supervisor.allLines("event=worker-exit .* restart-in-ms=(\\d+)").stream()
                    .map(m -> Long.parseLong(m.group(1))).toList();
            assertThat(delays, is(List.of(500L, 1000L, 2000L, 4000L)));
            Matcher limit = supervisor.awaitLine("event=start-limit-hit restarts=(\\d+) .* kind=(\\S+) .* exit=(\\d+)", BOOT);
            assertThat(limit.group(1), is("5"));
            assertThat(limit.group(2), is("boot-failure"));
            assertThat(limit.group(3), is("69"));
            // 7.5 s of back-off (500 ms + 1 s + 2 s + 4 s): a busy-looping supervisor would burn
            // about that much CPU; a waiting one, a small part of it
            assertThat("supervisor CPU time during the crash loop " + cpu, cpu.toMillis(), lessThan(3000L));
        }
    }

    @Test
    void aStoppedWorkerIsDumpedKilledAndReplacedByTheWatchdog() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("watchdog", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 2, watchdog-sec: 2}
                """)) {
            List<Long> ready = supervisor.awaitReadyWorkers(2, BOOT);
            long stopped = ready.getFirst();
            long stoppedAt = System.nanoTime();
            assertThat(Processes.signal(stopped, Signal.STOP), is(true));
            // replaced within 3 x watchdog-sec: the stopped pid is gone and a new worker is starting or ready
            Await.until(() -> "pid " + stopped + " killed and replaced\n" + supervisor.tail(), Duration.ofSeconds(6),
                        () -> !RunningSupervisor.alive(stopped)
                              && supervisor.line("event=worker-spawn .* reason=restart", 0).isPresent());
            long replacedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            supervisor.awaitLine("event=watchdog-timeout slot=\\d worker=\\d+ pid=" + stopped, BOOT);
            supervisor.awaitLine("Full thread dump", BOOT);
            supervisor.awaitLine("event=worker-exit .* pid=" + stopped + " .*cause=watchdog", BOOT);
            List<Long> after = supervisor.awaitReadyWorkers(2, BOOT);
            assertThat("replaced in " + replacedMs + " ms", after.contains(stopped), is(false));
        }
    }

    @Test
    void sigtermLetsASlowRequestFinishThenExitsCleanly() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("graceful-stop", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 2, timeout-stop-sec: 20}
                """)) {
            List<Long> workers = supervisor.awaitReadyWorkers(2, BOOT);
            List<Integer> adminPorts = adminPorts(supervisor);
            CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.get(supervisor.port, "/slow?ms=3000");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the slow request in flight on a worker", Duration.ofSeconds(10), () -> adminPorts.stream()
                    .anyMatch(port -> Http.tryGet(port, "/stats").map(r -> !r.field("in-flight").equals("0")).orElse(false)));
            supervisor.terminate();
            assertThat(supervisor.awaitExit(Duration.ofSeconds(30)), is(0));
            Http.Response response = slow.get(10, TimeUnit.SECONDS);
            assertThat(response.status(), is(200));
            assertThat(workers.stream().noneMatch(RunningSupervisor::alive), is(true));
            supervisor.awaitLine("event=supervisor-exit code=0", BOOT);
        }
    }

    /**
     * Runs like in a container: the supervisor is PID 1 of its own PID and network namespaces, and
     * the test's requests come from inside that network namespace. A new network namespace starts
     * with net.ipv4.tcp_migrate_req at 0 and nothing may change that: the supervisor owns the
     * listening socket, so a reload needs no kernel help for the connections queued on it.
     */
    @Test
    void inItsOwnNamespacesSighupReplacesEveryWorkerWithoutAFailedRequestOrAnySysctl() throws Exception {
        Root.require(OWN_NAMESPACES, "creates network and PID namespaces (CAP_SYS_ADMIN), and this test then joins"
                                     + " the supervisor's network namespace with setns(2)");
        Sysctl.assertTcpMigrateReqOff("on the host");
        try (RunningSupervisor supervisor = RunningSupervisor.start("sighup", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 2}
                """, OWN_NAMESPACES)) {
            long supervisorPid = supervisor.supervisorPid();
            InNamespace.run(supervisorPid, () -> {
                List<Long> before = supervisor.awaitReadyWorkers(2, BOOT);
                Sysctl.assertTcpMigrateReqOff("in the supervisor's network namespace");
                try (FreshConnectionLoad load = new FreshConnectionLoad("sighup reload in own namespaces",
                                                                        supervisor.port, 8)) {
                    Await.until("load flowing", Duration.ofSeconds(10), () -> load.answered() > 50);
                    assertThat(Processes.signal(supervisorPid, Signal.HUP), is(true));
                    List<Long> after = Await.until(() -> "both workers replaced\n" + supervisor.tail(), REPLACE, () -> {
                        List<Long> pids = supervisor.readyPids();
                        boolean replaced = pids.size() == 2 && pids.stream().noneMatch(before::contains)
                                           && supervisor.allLines("event=worker-exit .*cause=requested").size() == 2;
                        return replaced ? Optional.of(pids) : Optional.empty();
                    });
                    long atSwitch = load.answered();
                    Await.until("load served by the new workers", Duration.ofSeconds(10), () -> load.answered() > atSwitch + 100);
                    String summary = load.finish();
                    assertThat(summary, load.failed(), is(0L));
                    assertThat(load.instances(), hasSize(1));
                    assertThat(load.pids().containsAll(after.stream().map(String::valueOf).toList()), is(true));
                }
                Sysctl.assertTcpMigrateReqOff("in the supervisor's network namespace, after the reload");
            });
            supervisor.awaitLine("event=reload origin=signal", BOOT);
            assertThat(supervisor.output(), not(containsString("tcp-migrate")));
        }
        Sysctl.assertTcpMigrateReqOff("on the host");
    }

    /** Issue 10: scaling the worker count down or up by editing the file resets no connection. */
    @Test
    void anInvalidEditKeepsTheWorkersAndScaling2To3To1UnderLoadFailsNothing() throws Exception {
        Sysctl.assertTcpMigrateReqOff("on the host");
        String yaml = """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: WORKERS}
                """;
        try (RunningSupervisor supervisor = RunningSupervisor.start("config-edit", dir, yaml.replace("WORKERS", "2"))) {
            List<Long> before = supervisor.awaitReadyWorkers(2, BOOT);
            try (FreshConnectionLoad load = new FreshConnectionLoad("scale 2 -> 3 -> 1 by editing the file",
                                                                    supervisor.port, 8)) {
                Await.until("load flowing", Duration.ofSeconds(10), () -> load.answered() > 50);
                supervisor.rewrite(yaml.replace("WORKERS", "0"));
                supervisor.awaitLine("event=reload-rejected origin=file .* key=supervisor.workers "
                                     + "error=\"must be auto or an integer from 1 to 1024; got \\\\\"0\\\\\"\"", BOOT);
                supervisor.awaitLine("event=reload-rejected origin=file message=\"the running configuration stays in force\"",
                                     BOOT);
                assertThat(Set.copyOf(supervisor.readyPids()), is(Set.copyOf(before)));
                assertThat(before.stream().allMatch(RunningSupervisor::alive), is(true));

                supervisor.rewrite(yaml.replace("WORKERS", "3"));
                List<Long> grown = supervisor.awaitReadyWorkers(3, REPLACE);
                assertThat(grown.containsAll(before), is(true));
                long atGrowth = load.answered();
                Await.until("load after growing to 3", Duration.ofSeconds(10), () -> load.answered() > atGrowth + 100);

                supervisor.rewrite(yaml.replace("WORKERS", "1"));
                List<Long> retired = Await.until(() -> "two workers retired by scale-down\n" + supervisor.tail(), BOOT, () -> {
                    List<Long> pids = supervisor.allLines("event=worker-stop slot=\\d worker=\\d+ pid=(\\d+) reason=scale-down")
                            .stream().map(m -> Long.parseLong(m.group(1))).toList();
                    return pids.size() == 2 ? Optional.of(pids) : Optional.empty();
                });
                Await.until(() -> "retired workers " + retired + " gone\n" + supervisor.tail(), BOOT,
                            () -> retired.stream().noneMatch(RunningSupervisor::alive));
                List<Long> left = supervisor.awaitReadyWorkers(1, BOOT);
                assertThat(retired.contains(left.getFirst()), is(false));
                long atShrink = load.answered();
                Await.until("load after shrinking to 1", Duration.ofSeconds(10), () -> load.answered() > atShrink + 100);
                String summary = load.finish();
                assertThat(summary, load.failed(), is(0L));
            }
            Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
        }
    }

    @Test
    void asPid1ItReapsOrphansAndWorkerExitCodesStayTrue() throws Exception {
        Root.require(AS_PID_1, "creates a PID namespace and mounts its /proc (CAP_SYS_ADMIN), and this test then"
                               + " enters it with nsenter");
        try (RunningSupervisor supervisor = RunningSupervisor.start("pid1", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1}
                chaos: {kill-endpoint: true}
                """, AS_PID_1)) {
            supervisor.awaitReadyWorkers(1, BOOT);
            supervisor.awaitLine("event=supervisor-start .* pid=1 ", BOOT);
            long hostPid = supervisor.supervisorPid();
            // a process whose parent exits at once: its child is re-parented to PID 1 of the namespace
            Process orphanMaker = new ProcessBuilder("nsenter", "-t", Long.toString(hostPid), "-p", "-m",
                                                     "sh", "-c", "sleep 0.5 & exit 0").inheritIO().start();
            assertThat(orphanMaker.waitFor(10, TimeUnit.SECONDS), is(true));
            supervisor.awaitLine("event=orphan-reaped pid=\\d+ wait-status=0", BOOT);
            Await.until("no zombie children of the supervisor", Duration.ofSeconds(5), () -> zombieChildren(hostPid).isEmpty());

            Http.Response killed = Http.request(supervisor.port, "POST", "/chaos/kill", "");
            assertThat(killed.status(), is(202));
            supervisor.awaitLine("event=worker-exit slot=1 worker=" + killed.field("worker") + " pid=" + killed.field("pid")
                                 + " code=86 cause=chaos-kill", BOOT);
            supervisor.awaitReadyWorkers(1, BOOT);
            assertThat(supervisor.output(), not(containsString("orphan-reaped pid=" + killed.field("pid"))));
        }
    }

    @Test
    void aWarmSpareTakesOverAKilledWorkersSlotAndIsReplaced() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("spare", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1, spare: 1}
                chaos: {kill-endpoint: true}
                """)) {
            supervisor.awaitReadyWorkers(1, BOOT);
            Matcher spare = supervisor.awaitLine("event=spare-ready worker=(\\d+) pid=(\\d+)", BOOT);
            Http.Response killed = Http.request(supervisor.port, "POST", "/chaos/kill", "");
            assertThat(killed.status(), is(202));
            Http.Response fresh = Await.until("the spare answering", Duration.ofSeconds(5), () ->
                    Http.tryGet(supervisor.port, "/").filter(r -> r.field("worker").equals(spare.group(1))));
            assertThat(fresh.field("pid"), is(spare.group(2)));
            assertThat(fresh.field("slot"), is("1"));
            supervisor.awaitLine("event=spare-bind slot=1 worker=" + spare.group(1), BOOT);
            // and a new spare is warming behind it
            supervisor.awaitLine("event=spare-ready worker=(?!" + spare.group(1) + "\\b)\\d+", BOOT);
        }
    }

    @Test
    void aWorkerIsRecycledAfterMaxRequestsStartNewThenStopOld() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("recycle", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1}
                worker: {max-requests: 30}
                """)) {
            long first = supervisor.awaitReadyWorkers(1, BOOT).getFirst();
            try (FreshConnectionLoad load = new FreshConnectionLoad("max-requests recycling", supervisor.port, 8)) {
                Await.until(() -> "worker " + first + " recycled\n" + supervisor.tail(), REPLACE, () -> {
                    List<Long> pids = supervisor.readyPids();
                    return pids.size() == 1 && !pids.contains(first) && !RunningSupervisor.alive(first);
                });
                long atSwitch = load.answered();
                Await.until("load after the recycling", Duration.ofSeconds(10), () -> load.answered() > atSwitch + 100);
                String summary = load.finish();
                System.out.println("  recycles=" + supervisor.allLines("event=worker-recycle .*reason=max-requests").size());
                assertThat(summary, load.failed(), is(0L));
            }
            Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
            // the first READY worker is not always worker 1: a port picked free can be taken by a
            // client's ephemeral port before the worker binds it, and the worker is restarted
            supervisor.awaitLine("event=worker-recycle slot=1 worker=\\d+ pid=" + first + " reason=max-requests", BOOT);
            supervisor.awaitLine("event=worker-stop slot=1 worker=\\d+ pid=" + first + " reason=replaced", BOOT);
        }
    }

    private static List<Long> zombieChildren(long parent) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == parent)
                .map(ProcessHandle::pid)
                .filter(pid -> {
                    try {
                        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                        return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
                    } catch (IOException e) {
                        return false;
                    }
                })
                .collect(Collectors.toList());
    }

    private static List<Integer> adminPorts(RunningSupervisor supervisor) throws IOException {
        // the admin port of every slot that has one (not yet reported: -1)
        List<Integer> ports = Http.get(supervisor.adminPort, "/status").slots().stream()
                .map(slot -> slot.getInt("admin-port")).filter(port -> port > 0).toList();
        assertThat(ports, not(empty()));
        return ports;
    }
}
