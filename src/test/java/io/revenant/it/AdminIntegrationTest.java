package io.revenant.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Issue 11 finding 8 (signals and the admin API) against the real entrypoint. */
class AdminIntegrationTest {

    static final Duration BOOT = Duration.ofSeconds(60);
    static final String ONE_WORKER = """
            server: {host: 127.0.0.1, port: PORT}
            admin: {port: ADMIN}
            supervisor: {workers: 1}
            """;

    @TempDir
    Path dir;

    // issue 11 finding 8: SIGHUP was silently ignored when the supervisor started under nohup
    @Test
    void sighupReloadsUnderNohup() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("sighup-nohup", dir, ONE_WORKER,
                                                                    List.of("/usr/bin/nohup"))) {
            supervisor.awaitReadyWorkers(1, BOOT);
            supervisor.awaitLine("event=signal-restored signals=HUP", BOOT);
            assertThat(Processes.signal(supervisor.supervisorPid(), Signal.HUP), is(true));
            supervisor.awaitLine("event=reload origin=signal", BOOT);
            assertThat(supervisor.process().isAlive(), is(true));
        }
    }

    // issue 11 finding 8: GET /reload answered 404, and a browser page could POST /reload cross-origin
    @Test
    void adminRoutesRefuseWrongMethodsAndCrossOriginPosts() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("admin-routes", dir, ONE_WORKER)) {
            supervisor.awaitReadyWorkers(1, BOOT);
            int admin = supervisor.adminPort;
            assertThat(Http.request(admin, "GET", "/reload", "").status(), is(405));
            assertThat(Http.request(admin, "POST", "/health", "").status(), is(405));
            assertThat(Http.request(admin, "GET", "/nothing", "").status(), is(404));
            Http.Response cross = Http.request(admin, "POST", "/reload", "Origin: http://evil.example\r\n");
            assertThat(cross.status(), is(403));
            assertThat(cross.body(), containsString("Origin http://evil.example is not this admin listener"));
            assertThat(Http.request(admin, "POST", "/reload", "Sec-Fetch-Site: cross-site\r\n").status(), is(403));
            assertThat(supervisor.line("event=reload origin=admin", 0).isPresent(), is(false));
            assertThat(Http.request(admin, "POST", "/reload", "Origin: http://127.0.0.1:" + admin + "\r\n").status(),
                       is(202));
            assertThat(Http.request(admin, "POST", "/reload", "").status(), is(202));   // curl
            supervisor.awaitLine("event=reload origin=admin", BOOT);
            Http.Response health = Http.get(admin, "/health");
            assertThat(health.body(), containsString("\"loop-age-ms\":"));
        }
    }

    // issue 11 finding 8: host 999.1.1.1 was reported as "is another server using port 4000?"
    @Test
    void anInvalidAddressIsAConfigErrorNamingTheKey() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("host-999", dir, """
                server: {host: 999.1.1.1, port: PORT}
                admin: {port: ADMIN}
                """)) {
            assertThat(supervisor.awaitExit(BOOT), is(78));
            assertThat(supervisor.output(), containsString("server.host: must be an IPv4 address"));
            assertThat(supervisor.output(), containsString("got \"999.1.1.1\" (not an IPv4 address)"));
            assertNoStackTrace(supervisor);
        }
    }

    @Test
    void aNameThatDoesNotResolveIsABootFailureNamingTheKey() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("host-unresolved", dir, """
                server: {host: no-such-host.invalid, port: PORT}
                admin: {port: ADMIN}
                """)) {
            assertThat(supervisor.awaitExit(BOOT), is(69));
            assertThat(supervisor.output(), containsString(
                    "server.host: cannot listen on no-such-host.invalid:" + supervisor.port
                    + ": \"no-such-host.invalid\" is not an IP address and does not resolve to one"));
            assertNoStackTrace(supervisor);
        }
    }

    // issue 11 finding 8: an admin.host that does not resolve ended the supervisor with a stack trace (exit 1)
    @Test
    void anAdminHostThatDoesNotResolveIsNamedAndTheServiceRuns() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("admin-unresolved", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {host: no-such-host.invalid, port: ADMIN}
                supervisor: {workers: 1}
                """)) {
            supervisor.awaitLine("event=admin-unavailable key=admin.host host=no-such-host.invalid", BOOT);
            supervisor.awaitLine("event=worker-ready", BOOT);
            assertThat(Http.get(supervisor.port, "/").status(), is(200));
            assertNoStackTrace(supervisor);
        }
    }

    // issue 11 finding 8: a SIGKILLed supervisor left its /tmp/revenant-* directory behind
    @Test
    void aDeadSupervisorsRuntimeDirectoryIsRemovedAtTheNextStart() throws Exception {
        Path tmp = Path.of("/tmp");   // the supervisor's java.io.tmpdir
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stale = Files.createDirectory(tmp.resolve("revenant-" + gone.pid() + "-it" + System.nanoTime()));
        Files.writeString(stale.resolve("notify.sock"), "");
        Files.writeString(stale.resolve("owner.lock"), "");   // left by a SIGKILLed supervisor: nobody holds it
        Path live = Files.createDirectory(tmp.resolve("revenant-" + ProcessHandle.current().pid() + "-it"
                                                      + System.nanoTime()));
        try (RunningSupervisor supervisor = RunningSupervisor.start("runtime-dir-sweep", dir, ONE_WORKER)) {
            supervisor.awaitLine("event=runtime-dir-removed dir=" + stale, BOOT);
            assertThat(Files.exists(stale), is(false));
            assertThat(Files.isDirectory(live), is(true));
        } finally {
            Files.deleteIfExists(stale.resolve("notify.sock"));
            Files.deleteIfExists(stale.resolve("owner.lock"));
            Files.deleteIfExists(stale);
            Files.deleteIfExists(live);
        }
    }

    private static void assertNoStackTrace(RunningSupervisor supervisor) {
        assertThat(supervisor.output(), not(containsString("\tat ")));
        assertThat(supervisor.output(), not(containsString("Exception")));
    }
}
