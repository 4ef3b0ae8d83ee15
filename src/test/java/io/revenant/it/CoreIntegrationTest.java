package io.revenant.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The entrypoint as a real process with real worker JVMs on a real port (issue: core). */
class CoreIntegrationTest {

    static final String TWO_WORKERS = """
            server: {host: 127.0.0.1, port: PORT}
            supervisor: {workers: 2}
            admin: {port: ADMIN}
            chaos: {kill-endpoint: true}
            """;
    static final Duration BOOT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void everyWorkerAnswersUnderOneInstanceId() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("core-spread", dir, TWO_WORKERS)) {
            List<Long> ready = supervisor.awaitReadyWorkers(2, BOOT);
            Set<String> pids = new HashSet<>();
            Set<String> instances = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                Http.Response response = Http.get(supervisor.port, "/");
                assertThat(response.status(), is(200));
                pids.add(response.field("pid"));
                instances.add(response.field("instance"));
            }
            assertThat(pids, is(Set.of(ready.get(0).toString(), ready.get(1).toString())));
            assertThat(instances, hasSize(1));
            assertThat(supervisor.output(), containsString("instance=" + instances.iterator().next()));
            supervisor.awaitLine("event=supervisor-start .* workers=2 basis=explicit", BOOT);
        }
    }

    @Test
    void workersLoadJnasLibraryFromTheSupervisorsCopyWhichGoesWithIt() throws Exception {
        Path library;
        try (RunningSupervisor supervisor = RunningSupervisor.start("core-jna", dir, TWO_WORKERS)) {
            List<Long> ready = supervisor.awaitReadyWorkers(2, BOOT);
            Set<String> mapped = new HashSet<>();
            for (long pid : ready) {
                try (Stream<String> maps = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
                    maps.map(line -> line.replaceFirst("^(\\S+\\s+){5}", "").trim())
                        .filter(file -> file.contains("jnidispatch") || file.contains("JNA") || file.matches(".*/jna\\d+\\.tmp.*"))
                        .forEach(mapped::add);
                }
            }
            // one file for both workers, in the supervisor's own runtime directory: none unpacked its own
            assertThat(mapped, hasSize(1));
            library = Path.of(mapped.iterator().next());
            assertThat(library.toString(), library.toString().matches(
                    ".*/revenant-" + supervisor.process().pid() + "-[^/]+/jna/libjnidispatch\\.so"), is(true));
        }
        assertThat("removed with the runtime directory when the supervisor stopped", Files.exists(library.getParent()), is(false));
    }

    @Test
    void aKilledWorkerComesBackWithANewIdUnderTheSameInstance() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("core-kill", dir, TWO_WORKERS)) {
            supervisor.awaitReadyWorkers(2, BOOT);
            long supervisorPid = supervisor.process().pid();
            Http.Response killed = Http.request(supervisor.port, "POST", "/chaos/kill", "");
            assertThat(killed.status(), is(202));
            long pid = Long.parseLong(killed.field("pid"));
            String instance = killed.field("instance");
            int highestId = Integer.parseInt(killed.field("worker"));
            long killedAt = System.nanoTime();
            // deadlines for behaviour, not speed: a new worker JVM takes 0.5-2 s here, more under load
            Await.until("killed worker " + pid + " gone", Duration.ofSeconds(10), () -> !RunningSupervisor.alive(pid));
            Http.Response fresh = Await.until("a new worker id answering", Duration.ofSeconds(20), () ->
                    Http.tryGet(supervisor.port, "/").filter(r -> Integer.parseInt(r.field("worker")) > highestId));
            long recoveredMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat("recovered in " + recoveredMs + " ms", fresh.field("instance"), is(instance));
            assertThat(supervisor.process().isAlive(), is(true));
            assertThat(Http.get(supervisor.adminPort, "/status").field("pid"), is(Long.toString(supervisorPid)));
            supervisor.awaitLine("event=worker-exit slot=\\d worker=" + highestId + " pid=" + pid
                                 + " code=86 cause=chaos-kill", BOOT);
        }
    }

    @Test
    void tenKillsInARowAllRecover() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("core-ten-kills", dir, TWO_WORKERS)) {
            supervisor.awaitReadyWorkers(2, BOOT);
            Set<String> killedIds = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                Http.Response killed = Http.request(supervisor.port, "POST", "/chaos/kill", "");
                assertThat(killed.status(), is(202));
                killedIds.add(killed.field("worker"));
                long pid = Long.parseLong(killed.field("pid"));
                Await.until("worker pid " + pid + " gone", Duration.ofSeconds(5), () -> !RunningSupervisor.alive(pid));
                supervisor.awaitReadyWorkers(2, Duration.ofSeconds(10));
            }
            assertThat(killedIds, hasSize(10));
            Http.Response after = Http.get(supervisor.port, "/");
            assertThat(after.status(), is(200));
            assertThat(killedIds.contains(after.field("worker")), is(false));
        }
    }

    @Test
    void aBadConfigExits78WithEveryProblemAndStartsNothing() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("core-bad-config", dir, """
                server: {port: 70000}
                supervisor: {workers: 0, restart: sometimes}
                colour: blue
                """)) {
            assertThat(supervisor.awaitExit(BOOT), is(78));
            String output = supervisor.output();
            assertThat(output, containsString("application.yaml: server.port: must be an integer from 1 to 65535; got \"70000\""));
            assertThat(output, containsString("application.yaml: supervisor.workers: must be auto or an integer from 1 to 1024; got \"0\""));
            assertThat(output, containsString("application.yaml: supervisor.restart: must be one of always, on-failure, no; got \"sometimes\""));
            assertThat(output, containsString("application.yaml: colour: unknown key"));
            assertThat(output, containsString("4 configuration error(s); no worker started (exit 78)"));
            assertThat(output, not(containsString("worker-spawn")));
            assertThat(output, not(containsString("Exception")));
        }
    }

    @Test
    void aMissingConfigFileExits78() throws Exception {
        Process missing = new ProcessBuilder(RunningSupervisor.java(System.getProperty("java.class.path"),
                io.revenant.supervisor.SupervisorMain.class.getName(), dir.resolve("absent.yaml").toString()))
                .redirectErrorStream(true).start();
        String output = new String(missing.getInputStream().readAllBytes());
        assertThat(missing.waitFor(), is(78));
        assertThat(output, containsString("absent.yaml: no such file"));
    }

    @Test
    void aPortInUseIsOneClearMessageNotARespawnStorm() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            String yaml = TWO_WORKERS.replace("port: PORT", "port: " + taken.getLocalPort());
            try (RunningSupervisor supervisor = RunningSupervisor.start("core-port-in-use", dir, yaml)) {
                assertThat(supervisor.awaitExit(BOOT), is(69));
                assertThat(supervisor.output(), containsString("server.port: cannot listen on 127.0.0.1:"
                                                               + taken.getLocalPort()));
                assertThat(supervisor.output(), not(containsString("worker-spawn")));
            }
        }
    }

    @Test
    void noWorkerOutlivesASigkilledSupervisor() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("core-sigkill", dir, TWO_WORKERS)) {
            List<Long> workers = supervisor.awaitReadyWorkers(2, BOOT);
            supervisor.process().destroyForcibly();
            // the kernel kills them at once (PR_SET_PDEATHSIG); their exit is seen only once
            // whoever inherits them reaps them, which a loaded CI machine took over 2 s to do
            Await.until("workers " + workers + " gone", Duration.ofSeconds(15),
                        () -> workers.stream().noneMatch(RunningSupervisor::alive));
            Await.until("port " + supervisor.port + " free", Duration.ofSeconds(15), () -> bindable(supervisor.port));
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
