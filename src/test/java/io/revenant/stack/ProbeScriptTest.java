package io.revenant.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 13, "the same knowledge lives in three or four places": the image's one probe script
 * (container/revenant-health), which the HEALTHCHECK, compose, Kubernetes and make deploy run,
 * against a real HTTP listener. It replaced four spellings of a /dev/tcp probe, one of them with
 * port 9000 hard-coded in the Dockerfile whatever admin.port the mounted config set.
 */
class ProbeScriptTest {

    private static final String STATUS_JSON = "{\"instance\":\"a1\",\"version\":\"1.0\",\"workers\":2,\"ready\":2,\"stopping\":false}";

    @TempDir
    Path dir;

    private HttpServer server;
    private int port;
    private volatile int health = 200;

    @BeforeEach
    void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/health", exchange -> {
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(health, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/status", exchange -> {
            byte[] body = STATUS_JSON.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private List<String> command(ProbeCommand.Mode mode) {
        return ProbeCommand.of(mode, port, "127.0.0.1");
    }

    @ParameterizedTest(name = "{0} with /health {1}: exit {2}")
    @CsvSource({"READY, 200, 0", "READY, 503, 1", "ALIVE, 200, 0", "ALIVE, 503, 0"})
    void readyWantsA200AndAliveAnyAnswer(ProbeCommand.Mode mode, int status, int code) throws Exception {
        health = status;
        assertEquals(code, ProbeScript.code(command(mode)));
    }

    @Test
    void statusPrintsTheBodyThatMakeDeployParses() throws Exception {
        ProbeScript.Result result = ProbeScript.run(command(ProbeCommand.Mode.STATUS), Map.of());
        assertEquals(0, result.code(), result.output());
        assertEquals(STATUS_JSON, result.output());
    }

    @Test
    void nothingListeningIsExit7WithAReason() throws Exception {
        server.stop(0);
        ProbeScript.Result result = ProbeScript.run(command(ProbeCommand.Mode.ALIVE), Map.of());
        assertEquals(7, result.code());
        assertThat(result.output(), containsString("nothing answers on 127.0.0.1:" + port));
    }

    /** The image's HEALTHCHECK runs the script without arguments: the port comes from the environment or the config. */
    @Test
    void withoutArgumentsThePortIsTheEnvironmentsOrTheConfigsAdminPort() throws Exception {
        List<String> bare = List.of(ProbeCommand.SCRIPT);
        Path config = dir.resolve("application.yaml");
        Files.writeString(config, "server:\n  port: 3000\nadmin:\n  host: 0.0.0.0\n  port: " + port
                + "   # the supervisor's\nworker:\n  port: 1\n");
        assertEquals(0, ProbeScript.run(bare, Map.of("REVENANT_CONFIG", config.toString())).code(), "admin.port of the config");
        assertEquals(0, ProbeScript.run(bare, Map.of("REVENANT_ADMIN_PORT", Integer.toString(port))).code(), "the environment");
        Files.writeString(config, "admin:\n  enabled: true\n");
        ProbeScript.Result fallback = ProbeScript.run(bare, Map.of("REVENANT_CONFIG", config.toString(),
                                                                   "REVENANT_ADMIN_HOST", "127.0.0.2"));
        assertThat("no admin.port: the loader's default", fallback.output(), containsString("127.0.0.2:9000"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mode, probe, 9000, mode 'probe': expected ready, alive or status",
                "port, ready, 70000, port '70000': expected a port number 1-65535",
                "port word, ready, nine, port 'nine': expected a port number 1-65535"})
    void aBadArgumentIsExit64NamingIt(String what, String mode, String badPort, String message) throws Exception {
        ProbeScript.Result result = ProbeScript.run(List.of(ProbeCommand.SCRIPT, mode, badPort), Map.of());
        assertEquals(64, result.code(), result.output());
        assertThat(result.output(), containsString(message));
    }
}
