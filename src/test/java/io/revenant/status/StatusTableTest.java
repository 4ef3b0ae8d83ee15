package io.revenant.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.protocol.JsonText;
import io.revenant.protocol.ToolExit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The table of {@code revenant status}: its columns, its colour, its --json and its exit codes. */
class StatusTableTest {

    static final String DOCUMENT = """
            {"instance":"3f2a","version":"0.1.0","pid":100,"started":"2026-01-01T00:00:00Z","config":"config/application.yaml",
             "worker-count":"cpus=4 containers=2 workers=2 basis=auto","workers":2,"ready":1,"min-ready":1,"stopping":false,
             "loop-age-ms":3,"log-lines-dropped":0,"restarts-by-cause":{"signal:KILL":1},"health":"UP","rss-kib":40000,
             "slots":[
              {"slot":1,"worker":3,"pid":4211,"state":"ready","admin-port":1,"restarts":1,"last-exit":"signal:KILL",
               "uptime-ms":754000,"rss-kib":75366,"requests-served":12345,"requests-in-flight":2},
              {"slot":2,"worker":2,"pid":4200,"state":"starting","admin-port":2,"restarts":0,"last-exit":"",
               "uptime-ms":4000,"rss-kib":1024,"requests-served":null,"requests-in-flight":null},
              {"slot":0,"worker":4,"pid":4300,"state":"spare","admin-port":-1,"restarts":0,"last-exit":"",
               "uptime-ms":90061000,"rss-kib":80000,"requests-served":0,"requests-in-flight":0},
              {"slot":3,"worker":-1,"pid":-1,"state":"waiting","admin-port":-1,"restarts":4,"last-exit":"exit:1",
               "uptime-ms":0,"rss-kib":0,"requests-served":0,"requests-in-flight":0}]}
            """;

    private static JsonObject document() {
        return JsonText.parse(DOCUMENT).orElseThrow();
    }

    @Test
    void oneRowPerWorkerInAlignedColumns() {
        String table = StatusTable.render(List.of(StatusTable.Answer.of(new StatusTarget("127.0.0.1:9000", "127.0.0.1", 9000),
                                                                        document())), false);
        assertThat(table, is("""
                127.0.0.1:9000  instance 3f2a  version 0.1.0  config config/application.yaml  \
                cpus=4 containers=2 workers=2 basis=auto  health UP (1/2 ready)
                 SLOT  WORKER   PID  STATE     UPTIME  RESTARTS  LAST EXIT         RSS  SERVED  IN FLIGHT
                    1       3  4211  ready     12m34s         1  signal:KILL  73.6 MiB   12345          2
                    2       2  4200  starting      4s         0  -             1.0 MiB       ?          ?
                spare       4  4300  spare      1d01h         0  -            78.1 MiB       0          0
                    3       -     -  waiting        -         4  exit:1              -       -          -
                """));
    }

    @Test
    void severalSupervisorsShareOneTableWithTheirNameFirst() {
        String table = StatusTable.render(List.of(
                StatusTable.Answer.of(new StatusTarget("rv-app1", "127.0.0.1", 9001), document()),
                StatusTable.Answer.unreachable(new StatusTarget("rv-app2", "127.0.0.1", 9002), "nothing listens")), false);
        assertThat(table, containsString("rv-app2: not reachable: nothing listens\n"));
        assertThat(table, containsString("\nSUPERVISOR   SLOT  WORKER"));
        assertThat(table, containsString("\nrv-app1         1       3  4211  ready"));
    }

    @Test
    void colourOnlyWhenAsked() {
        List<StatusTable.Answer> answers = List.of(StatusTable.Answer.of(new StatusTarget("a", "127.0.0.1", 1), document()));
        assertThat(StatusTable.render(answers, true), containsString("\033[32m"));
        assertThat(StatusTable.render(answers, false), not(containsString("\033")));
    }

    @Test
    void uptimeInTwoUnits() {
        assertThat(StatusTable.uptime(59_999), is("59s"));
        assertThat(StatusTable.uptime(60_000), is("1m00s"));
        assertThat(StatusTable.uptime(3_600_000), is("1h00m"));
        assertThat(StatusTable.uptime(86_400_000L * 3 + 7_200_000), is("3d02h"));
    }

    /** The subcommand against a fake admin listener: no colour off a terminal (surefire's pipe), and --json as is. */
    @Test
    void theCommandPrintsNoColourOffATerminalAndTheDocumentWithJson() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/status", exchange -> {
            byte[] body = DOCUMENT.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String admin = "127.0.0.1:" + server.getAddress().getPort();
            Run table = run("--admin", admin);
            assertThat(table.code, is(0));
            assertThat(table.out, containsString("   1       3  4211  ready"));
            assertThat(table.out, not(containsString("\033")));
            Run json = run("--admin", admin, "--json");
            assertThat(json.code, is(0));
            assertThat(JsonText.parse(json.out).orElseThrow(), is(document()));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableSupervisorIsOneLineAndExit69() throws IOException {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        Run run = run("--admin", "127.0.0.1:" + port);
        assertThat(run.code, is(ToolExit.UNAVAILABLE));
        assertThat(run.out, is("127.0.0.1:" + port + ": not reachable: nothing listens on 127.0.0.1:" + port
                               + " (Connection refused); is the supervisor running, with this admin address?\n"));
    }

    @Test
    void aBadAddressIsAUsageError() {
        Run run = run("--admin", "localhost");
        assertThat(run.code, is(ToolExit.USAGE));
        assertThat(run.err, containsString("--admin takes HOST:PORT (port 1-65535), e.g. 127.0.0.1:9000; got localhost"));
    }

    @Test
    void aStackIsAskedOnEachContainersPublishedAdminPort(@TempDir Path dir) throws IOException {
        Path env = dir.resolve("stack.env");
        Files.writeString(env, "PROJECT=rv\nAPP_CONTAINERS=rv-app1,rv-app2\nPUBLISH_HOST=0.0.0.0\nADMIN_PORTS=9001,9002\n");
        assertThat(StatusTarget.ofStack(env), is(List.of(new StatusTarget("rv-app1", "127.0.0.1", 9001),
                                                         new StatusTarget("rv-app2", "127.0.0.1", 9002))));
        Files.writeString(env, "PROJECT=rv\nAPP_CONTAINERS=rv-app1,rv-app2\nADMIN_PORTS=\n");
        Run run = run("--stack-dir", dir.toString());
        assertThat(run.code, is(ToolExit.UNAVAILABLE));
        assertThat(run.err, containsString("stack.env: the stack's admin ports are not published on the host"));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StatusMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                                  new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
