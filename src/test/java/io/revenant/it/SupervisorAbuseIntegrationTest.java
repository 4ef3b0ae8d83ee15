package io.revenant.it;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Issue 11: what a client, a worker, an operator's pipe or the machine does to the supervisor
 * must not stop it. One test per finding about the supervisor's own loop (findings 1, 2, 4, 5);
 * each failed before its fix.
 */
class SupervisorAbuseIntegrationTest {

    static final Duration BOOT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /**
     * Finding 1: behind `| sleep 240` the stdout pipe fills and every thread that logged used to
     * block on it, the loop included: no READY was ever handled, no dead worker restarted, and
     * SIGTERM needed SIGKILL. Each worker logs every class it loads (about 400 KB per start)
     * so the 64 KiB pipe is full long before the first READY.
     */
    @Test
    void aFullStdoutPipeStopsNeitherRestartsNorSigterm() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.startWithUnreadOutput(dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 2}
                worker:
                  jvm-options: [-Xlog:class+load=info:stdout]
                """)) {
            List<Long> ready = supervisor.awaitReadyWorkers(2, BOOT);
            long victim = ready.getFirst();
            assertThat(Processes.signal(victim, Signal.KILL), is(true));
            Await.until("a new worker in place of " + victim, BOOT, () -> {
                List<Long> now = supervisor.readyPids();
                return now.size() == 2 && !now.contains(victim);
            });
            assertThat(Http.get(supervisor.port, "/").status(), is(200));
            supervisor.terminate();
            assertThat(supervisor.awaitExit(Duration.ofSeconds(30)), is(0));
        }
    }

    /**
     * Finding 2: the notify socket's path is in every worker's environment. A forged
     * {@code READY=1 WORKER=<next> ADMIN_PORT=abc} used to throw in the loop (exit 1, every worker
     * gone) at the next reload, and a forged RECYCLE replaced any worker. Now a process the
     * supervisor did not start is refused at connect, whatever it sends.
     */
    @Test
    void forgedNotifyLinesFromAnotherProcessAreRefused() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("abuse-notify", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1}
                """)) {
            long worker = supervisor.awaitReadyWorkers(1, BOOT).getFirst();
            Path notify = Path.of(environment(worker, "REVENANT_NOTIFY_SOCKET"));
            long me = ProcessHandle.current().pid();
            for (String forged : List.of("READY=1 WORKER=2 ADMIN_PORT=abc\n", "RECYCLE=forged WORKER=1\n",
                                         "x".repeat(4 << 20))) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(notify))) {
                    ByteBuffer bytes = ByteBuffer.wrap(forged.getBytes(StandardCharsets.US_ASCII));
                    try {
                        while (bytes.hasRemaining()) {
                            channel.write(bytes);
                        }
                    } catch (IOException closedOnUs) {
                        // refused before we finished: the point
                    }
                }
            }
            Await.until(() -> "three refusals\n" + supervisor.tail(), BOOT,
                        () -> supervisor.allLines("event=notify-refused pid=" + me + " ").size() == 3);

            assertThat(Http.request(supervisor.adminPort, "POST", "/reload", "").status(), is(202));
            supervisor.awaitLine("event=reload origin=admin", BOOT);
            Await.until(() -> "worker " + worker + " replaced by a new one\n" + supervisor.tail(), BOOT, () -> {
                List<Long> now = supervisor.readyPids();
                return now.size() == 1 && !now.contains(worker);
            });
            assertThat(supervisor.process().isAlive(), is(true));
            assertThat(supervisor.allLines("event=worker-recycle"), is(empty()));
            assertThat(supervisor.allLines("event=worker-ready slot=\\d worker=2 "), hasSize(1));
        }
    }

    /**
     * Finding 3: an 8 MB edit of the config file used to kill the watcher thread with an
     * OutOfMemoryError in the supervisor's 16 MiB heap, and the next /reload ended the supervisor
     * (exit 1, 564 of 600 requests failed). Now it is refused like any bad edit, by the file
     * watcher and by /reload, and a later good edit still applies.
     */
    @Test
    void anEightMegabyteEditIsRefusedAndTheServiceStaysUp() throws Exception {
        String yaml = """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1}
                """;
        try (RunningSupervisor supervisor = RunningSupervisor.startWithJvmOptions("abuse-huge-config", dir, yaml,
                                                                                  List.of("-Xmx16m"))) {
            long worker = supervisor.awaitReadyWorkers(1, BOOT).getFirst();
            Path huge = dir.resolve("huge.yaml");
            Files.writeString(huge, yaml.replace("PORT", String.valueOf(supervisor.port))
                    .replace("ADMIN", String.valueOf(supervisor.adminPort)) + "# " + "x".repeat(8 << 20) + "\n");
            Files.move(huge, supervisor.config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                       java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            supervisor.awaitLine("event=reload-rejected origin=file .*1 MiB", BOOT);
            assertThat(Http.request(supervisor.adminPort, "POST", "/reload", "").status(), is(202));
            supervisor.awaitLine("event=reload-rejected origin=admin .*1 MiB", BOOT);
            assertThat(supervisor.readyPids(), contains(worker));
            assertThat(Http.get(supervisor.port, "/").status(), is(200));

            supervisor.rewrite(yaml.replace("workers: 1", "workers: 2"));
            supervisor.awaitReadyWorkers(2, BOOT);
            assertThat(supervisor.process().isAlive(), is(true));
        }
    }

    /**
     * Finding 4: `-version` makes every worker exit 0 before READY. That counted as a clean exit:
     * 131 spawns in 20 s, back-off stuck at its first step, no start limit. Now it is a failed
     * start: the back-off grows and the start limit stops the supervisor with the boot-failure code.
     */
    @Test
    void workersThatExitZeroBeforeReadyAreAFailedStart() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("abuse-early-exit", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor:
                  workers: 1
                  restart-sec: 100ms
                  restart-steps: 3
                  restart-max-delay-sec: 800ms
                  start-limit-burst: 4
                  start-limit-interval-sec: 60
                worker:
                  jvm-options: [-version]
                """)) {
            assertThat(supervisor.awaitExit(Duration.ofSeconds(60)), is(69));
            List<String> delays = supervisor.allLines("event=worker-exit .* code=0 cause=early-exit .* restart-in-ms=(\\d+)")
                    .stream().map(m -> m.group(1)).toList();
            assertThat(delays, contains("100", "200", "400", "800"));
            supervisor.awaitLine("event=start-limit-hit restarts=5 .* kind=boot-failure .* exit=69", BOOT);
        }
    }

    /**
     * Finding 4: a reload whose new worker failed kept the bad configuration in force, so the
     * next restart of that slot used the bad JVM option forever while /health said UP. Now the
     * supervisor goes back to the configuration that last produced READY workers.
     */
    @Test
    void aReloadWhoseWorkerFailsRollsBack() throws Exception {
        String good = """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1, restart-sec: 100ms}
                worker:
                  jvm-options: [-Xss512k]
                """;
        try (RunningSupervisor supervisor = RunningSupervisor.start("abuse-rollback", dir, good)) {
            long first = supervisor.awaitReadyWorkers(1, BOOT).getFirst();
            supervisor.rewrite(good.replace("-Xss512k", "-XX:+NoSuchFlag"));
            supervisor.awaitLine("event=reload-rollback .* cause=code:1 ", BOOT);
            assertThat(supervisor.readyPids(), contains(first));

            // the slot's next worker is started with the configuration that worked
            assertThat(Processes.signal(first, Signal.KILL), is(true));
            Await.until(() -> "a worker in place of " + first + "\n" + supervisor.tail(), BOOT, () -> {
                List<Long> now = supervisor.readyPids();
                return now.size() == 1 && !now.contains(first);
            });
            assertThat(Http.get(supervisor.adminPort, "/health").status(), is(200));
            assertThat(supervisor.allLines("event=worker-exit .* code=1 "), hasSize(1));
        }
    }

    /**
     * Finding 5: SIGSTOP the supervisor for 4 s, then SIGCONT: every healthy worker used to be
     * killed at once, the watchdog blaming them for the supervisor's own silence. Now the stall
     * is noticed and every worker gets a fresh window; the same workers keep serving.
     */
    @Test
    void aStalledSupervisorDoesNotBlameItsWorkers() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("abuse-stall", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 2, watchdog-sec: 1}
                """)) {
            List<Long> ready = supervisor.awaitReadyWorkers(2, BOOT);
            long pid = supervisor.process().pid();
            assertThat(Processes.signal(pid, Signal.STOP), is(true));
            long stoppedAt = System.nanoTime();
            // the stall itself: 4 watchdog periods in which the supervisor cannot hear anyone
            Await.until("4 s of stall", Duration.ofSeconds(10), () -> System.nanoTime() - stoppedAt > 4_000_000_000L);
            assertThat(Processes.signal(pid, Signal.CONT), is(true));
            Matcher stall = supervisor.awaitLine("event=supervisor-stall gap-ms=(\\d+)", BOOT);
            assertThat(Long.parseLong(stall.group(1)) >= 3500, is(true));
            // three more watchdog periods with the probes answered: nobody killed, same workers
            long resumedAt = System.nanoTime();
            Await.until("3 s after the stall", Duration.ofSeconds(10), () -> System.nanoTime() - resumedAt > 3_000_000_000L);
            assertThat(supervisor.allLines("event=watchdog-timeout"), is(empty()));
            assertThat(supervisor.readyPids(), is(ready));
            assertThat(supervisor.allLines("event=worker-exit"), is(empty()));
        }
    }

    /** One variable of a process's environment, from /proc: anything of the same uid can read it. */
    private static String environment(long pid, String name) throws IOException {
        for (String entry : new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
                .split("\0")) {
            if (entry.startsWith(name + "=")) {
                return entry.substring(name.length() + 1);
            }
        }
        throw new AssertionError(name + " not in the environment of " + pid);
    }
}
