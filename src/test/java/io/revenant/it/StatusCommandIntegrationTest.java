package io.revenant.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.revenant.protocol.JsonText;
import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: {@code java -jar revenant.jar status} against a real supervisor shows its READY
 * workers, and after a chaos kill the slot's restart count and its new worker. The last table is
 * written to {@code docs/status-example.txt}, which the README shows.
 */
class StatusCommandIntegrationTest {

    static final Duration BOOT = Duration.ofSeconds(60);
    static final Path EXAMPLE = Path.of("docs/status-example.txt");
    static final String TWO_WORKERS = """
            server: {host: 127.0.0.1, port: PORT}
            admin: {port: ADMIN}
            supervisor: {workers: 2, spare: 0}
            chaos: {kill-endpoint: true}
            """;

    @TempDir
    Path dir;

    @Test
    void theTableShowsReadyWorkersThenTheRestartAndNewWorkerAfterAKill() throws Exception {
        try (RunningSupervisor supervisor = RunningSupervisor.start("status-command", dir, TWO_WORKERS)) {
            List<Long> pids = supervisor.awaitReadyWorkers(2, BOOT);
            String before = status(supervisor, "--config", supervisor.config.toString());
            for (long pid : pids) {
                assertRow(before, " +[12] +[12] +" + pid + "  ready ");
            }
            assertThat(before, containsString("health UP (2/2 ready)"));

            for (int i = 0; i < 5; i++) {
                Http.get(supervisor.port, "/");
            }
            Http.Response killed = Http.request(supervisor.port, "POST", "/chaos/kill", "");
            assertThat(killed.status(), is(202));
            long killedWorker = Long.parseLong(killed.field("worker"));
            int slot = Integer.parseInt(killed.field("slot"));
            // the slot has a new READY worker, as /status says; then the command must say so too
            JsonObject replaced = Await.until("slot " + slot + " READY again with a new worker", BOOT, () ->
                    Http.tryGet(supervisor.adminPort, "/status").flatMap(r -> JsonText.parse(r.body()))
                            .flatMap(json -> json.getJsonArray("slots").getValuesAs(JsonObject.class).stream()
                                    .filter(s -> s.getInt("slot") == slot && s.getString("state").equals("ready")
                                                 && s.getJsonNumber("worker").longValue() > killedWorker)
                                    .findFirst()));
            String admin = "127.0.0.1:" + supervisor.adminPort;
            String after = status(supervisor, "--admin", admin);
            // slot, new worker id, new pid, ready, uptime, 1 restart, the kill's exit cause
            assertRow(after, " +" + slot + " +" + replaced.getJsonNumber("worker").longValue() + " +"
                             + replaced.getJsonNumber("pid").longValue() + "  ready +\\S+ +1  \\S+ ");
            assertThat(after, containsString("health UP (2/2 ready)"));
            Files.writeString(EXAMPLE, "$ java -jar target/revenant.jar status --admin " + admin + "\n" + after,
                              StandardCharsets.UTF_8);
        }
    }

    private static void assertRow(String table, String row) {
        assertTrue(Pattern.compile("(?m)^" + row).matcher(table).find(), "a row /" + row + "/ in\n" + table);
    }

    /** Runs the subcommand as a user does, a JVM of its own, and returns what it printed; it must exit 0. */
    private static String status(RunningSupervisor supervisor, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("status"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(RunningSupervisor.java(System.getProperty("java.class.path"),
                        "io.revenant.supervisor.SupervisorMain", command.toArray(String[]::new)))
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat("revenant status exits in time", process.waitFor(30, TimeUnit.SECONDS), is(true));
        assertThat(out, process.exitValue(), is(0));
        return out;
    }
}
