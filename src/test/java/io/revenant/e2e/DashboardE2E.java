package io.revenant.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.revenant.testing.Http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven by playwright-core from
 * npm): a supervisor as {@code make run} starts it, chaos on with a token; the test clicks "Kill
 * a worker", answers the token prompt, and the killed slot's tile must show the new worker id and
 * one more restart within 2 s (a deadline, not a speed assert; the time it took is printed and
 * kept in target/e2e-logs/dashboard.txt). Screenshots: target/e2e-logs/dashboard.png and the
 * README's docs/dashboard.png.
 */
class DashboardE2E {

    private static final int WORKERS = 2;
    private static final String TOKEN = "e2e-secret";
    private static final Path BROWSER_DIR = Stack.ROOT.resolve("target/browser");
    private static final Pattern RESULT = Pattern.compile("(?m)^RESULT (\\{.*})$");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aKilledWorkersTileShowsItsReplacementAndTheRestartWithinTwoSeconds() throws Exception {
        Path script = prepareBrowserDriver();
        // in the dash range of the shared machine (43000-43999)
        try (LocalSupervisor supervisor = LocalSupervisor.start("dashboard", 43010, 43100, "host: 0.0.0.0 ", "host: 127.0.0.1",
                "port: 3000 ", "port: {APP}", "  port: 9000", "  port: {ADMIN}",
                "workers: auto ", "workers: " + WORKERS + "    ", "# token: change-me", "token: " + TOKEN)) {
            supervisor.awaitReady(WORKERS);
            int adminPort = supervisor.adminPort;
            Path shot = Stack.LOGS.resolve("dashboard.png");
            Path readmeShot = Stack.ROOT.resolve("docs/dashboard.png");
            Process node = new ProcessBuilder("node", script.toString(), "http://127.0.0.1:" + adminPort + "/",
                                              Integer.toString(WORKERS), TOKEN, shot.toString(), readmeShot.toString())
                    .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(3, TimeUnit.MINUTES), "the browser driver did not finish");
            supervisor.rememberWorkers();
            Matcher result = RESULT.matcher(output);
            if (node.exitValue() != 0 || !result.find()) {
                fail("the browser driver exited " + node.exitValue() + ":\n" + output + "\nsupervisor:\n" + supervisor.tail());
            }
            String line = result.group(1);
            System.out.println("dashboard: " + line);
            Files.writeString(Stack.LOGS.resolve("dashboard.txt"), Instant.now() + " " + line + "\n",
                              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            JsonNode seen = new ObjectMapper().readTree(line);

            assertEquals(202, seen.path("killStatus").asInt(), line);
            assertThat("the tile did not show the replacement and the restart within 2 s: " + line,
                       seen.path("timeout").asText(), is(""));
            int slot = seen.path("killedSlot").asInt();
            long killedWorker = seen.path("killedWorker").asLong();
            long shownWorker = seen.path("after").path("worker").asLong();
            assertTrue(shownWorker != killedWorker, "the tile still shows the killed worker: " + line);
            assertEquals(seen.path("before").path("restarts").asInt() + 1, seen.path("after").path("restarts").asInt(), line);
            // what the tile shows is what the supervisor says
            assertThat(Http.get(adminPort, "/status").body(), containsString("{\"slot\":" + slot + ",\"worker\":" + shownWorker + ","));
            List<String> events = new ArrayList<>();
            seen.path("events").forEach(event -> events.add(event.asText()));
            assertThat(events, hasItem(containsString("worker-exit")));
            assertThat("requests that failed in the browser: " + line, seen.path("failedRequests").size(), is(0));
            assertTrue(Files.size(readmeShot) > 10_000, "no screenshot at " + readmeShot);
        }
    }

    /**
     * playwright-core installed once under target/browser (npm), and the driver script copied
     * beside it, so that node resolves the package from there. Needs Debian's chromium, node
     * and npm; says so when one is missing.
     */
    private static Path prepareBrowserDriver() throws IOException, InterruptedException {
        for (String tool : List.of("/usr/bin/chromium", "node", "npm")) {
            boolean found = tool.startsWith("/") ? Files.isExecutable(Path.of(tool))
                    : new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
            if (!found) {
                fail("the dashboard's browser test needs " + tool + " (Debian: apt-get install chromium nodejs npm;"
                     + " .ci/run installs them)");
            }
        }
        Files.createDirectories(BROWSER_DIR);
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            Path log = BROWSER_DIR.resolve("npm-install.log");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save", "playwright-core")
                    .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!npm.waitFor(3, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                fail("npm install playwright-core in " + BROWSER_DIR + " failed: " + Files.readString(log));
            }
        }
        Path script = BROWSER_DIR.resolve("dashboard-kill.mjs");
        try (var in = DashboardE2E.class.getResourceAsStream("/e2e/dashboard-kill.mjs")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }
}
