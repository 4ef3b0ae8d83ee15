package io.revenant.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.net.DescriptorPassing;
import io.revenant.net.Descriptors;
import io.revenant.net.ListenSocket;
import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.protocol.WorkerExit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The worker's checks of the socket it borrows (issue 10): given none, or a socket that is not
 * the supervisor's listener, it exits 72 (no-listening-socket) before Helidon serves anything,
 * and says why on stderr; the supervisor logs the code and its meaning.
 */
class BorrowedSocketCheckIntegrationTest {

    static final Duration EXIT = Duration.ofSeconds(30);
    static final int NO_SOCKET = 72;

    /** socket(2) for a TCP socket that neither binds nor listens; the kit has no other way to make one. */
    interface CLib extends Library {
        CLib INSTANCE = Native.load("c", CLib.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;
    }

    @TempDir
    Path dir;

    @BeforeEach
    void nothingDependsOnTcpMigrateReq() {
        Sysctl.assertTcpMigrateReqOff("on the host");
    }

    @Test
    void noLenderListeningAtThePathExits72NamingIt() throws Exception {
        // a socket file whose listener is gone, as a dead supervisor leaves it
        Path stale = dir.resolve("listen.sock");
        Descriptors.closeQuietly(DescriptorPassing.listen(stale));
        assertThat(Files.exists(stale), is(true));
        LoneWorker.Exit exit = LoneWorker.run(LoneWorker.environment(RunningSupervisor.freePort(), stale, 1), dir, EXIT);
        System.out.println("no lender: exit " + exit.code() + ", stderr: " + exit.stderr().strip());
        assertThat(exit.stderr(), exit.code(), is(NO_SOCKET));
        assertThat(exit.stderr(), containsString("revenant worker: no listening socket from the supervisor"));
        assertThat(exit.stderr(), containsString(stale.toString()));
        assertThat(exit.stderr(), containsString("Connection refused"));
    }

    @Test
    void noLenderSetExits72() throws Exception {
        Map<String, String> env = LoneWorker.environment(RunningSupervisor.freePort(), dir.resolve("unused"), 1);
        env.remove("REVENANT_SOCKET_LENDER");
        LoneWorker.Exit exit = LoneWorker.run(env, dir, EXIT);
        System.out.println("no REVENANT_SOCKET_LENDER: exit " + exit.code() + ", stderr: " + exit.stderr().strip());
        assertThat(exit.stderr(), exit.code(), is(NO_SOCKET));
        assertThat(exit.stderr(), containsString("revenant worker: REVENANT_SOCKET_LENDER is not set"));
    }

    @Test
    void aLentSocketThatDoesNotListenExits72() throws Exception {
        int tcp = CLib.INSTANCE.socket(2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
        try (FakeLender lender = new FakeLender(dir.resolve("lend.sock"), tcp)) {
            long inode = Descriptors.socketInode(tcp);
            LoneWorker.Exit exit = LoneWorker.run(LoneWorker.environment(RunningSupervisor.freePort(), lender.path, inode),
                                                  dir, EXIT);
            System.out.println("a socket that does not listen: exit " + exit.code() + ", stderr: " + exit.stderr().strip());
            assertThat("the worker received the socket", lender.lent(), is(1));
            assertThat(exit.stderr(), exit.code(), is(NO_SOCKET));
            assertThat(exit.stderr(), containsString("revenant worker: the lent socket:[" + inode
                                                     + "] is not a listening TCP socket (SO_ACCEPTCONN is off)"));
        } finally {
            Descriptors.closeQuietly(tcp);
        }
    }

    @Test
    void aListeningSocketThatIsNotTheSupervisorsExits72() throws Exception {
        int port = RunningSupervisor.freePort();
        try (ListenSocket supervisors = ListenSocket.open("127.0.0.1", port, 16);
             ListenSocket another = ListenSocket.open("127.0.0.1", port, 16);
             FakeLender lender = new FakeLender(dir.resolve("lend.sock"), another.fd())) {
            LoneWorker.Exit exit = LoneWorker.run(LoneWorker.environment(port, lender.path, supervisors.inode()), dir, EXIT);
            System.out.println("another listening socket: exit " + exit.code() + ", stderr: " + exit.stderr().strip());
            assertThat("the worker received the socket", lender.lent(), is(1));
            assertThat(exit.stderr(), exit.code(), is(NO_SOCKET));
            assertThat(exit.stderr(), containsString("revenant worker: the lent socket is socket:[" + another.inode()
                                                     + "], not the supervisor's listener socket:[" + supervisors.inode() + "]"));
        }
    }

    /**
     * The lender's Unix socket removed under a running supervisor: the replacement of a killed
     * worker gets no socket, exits 72, and the supervisor logs that with its meaning. The public
     * socket itself stays open meanwhile: connections queue instead of being refused.
     */
    @Test
    void theSupervisorLogsAWorkerThatGotNoSocket() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("no-socket", dir, """
                server: {host: 127.0.0.1, port: PORT}
                admin: {port: ADMIN}
                supervisor: {workers: 1}
                """)) {
            long pid = supervisor.awaitReadyWorkers(1, Duration.ofSeconds(30)).getFirst();
            Path lender = Path.of(environment(pid).get("REVENANT_SOCKET_LENDER"));
            Files.delete(lender);
            assertThat(Processes.signal(pid, Signal.KILL), is(true));
            Matcher exit = supervisor.awaitLine("event=worker-exit slot=1 worker=(\\d+) pid=(?!" + pid + "\\b)\\d+ code=72 .*"
                                                + "meaning=no-listening-socket", Duration.ofSeconds(30));
            supervisor.awaitLine("\\[worker " + exit.group(1) + "\\] revenant worker: no listening socket from the supervisor"
                                 + " \\(.*" + java.util.regex.Pattern.quote(lender.toString()), Duration.ofSeconds(5));
            System.out.println("supervisor log: " + exit.group());
            assertThat(WorkerExit.meaning(NO_SOCKET), is("no-listening-socket"));
            try (Socket queued = new Socket()) {
                queued.connect(new InetSocketAddress("127.0.0.1", supervisor.port), 2000);
            }
            Sysctl.assertTcpMigrateReqOff("on the host, with the supervisor running");
        }
    }

    private static Map<String, String> environment(long pid) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        Map<String, String> env = new java.util.HashMap<>();
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return env;
    }
}
