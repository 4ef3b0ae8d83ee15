package io.revenant.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, "a permanent abuse suite": {@code make e2e} runs a 60-second {@code make soak}. The
 * same driver ({@code io.revenant.soak.SoakMain}) through {@code make soak-run}, so it starts the
 * supervisor with the Makefile's own command and JVM options, on the jar and test classes this
 * Maven built. No containers: the real supervisor on loopback, on ports apart from a
 * {@code make soak} (7200, 7210) that may run beside it. The driver fails (exit 1) when the
 * supervisor's RSS, fds or threads grow past its bounds, a zombie stays, the service stops
 * answering or the pool is not whole after the kills.
 */
class SoakE2E {

    private static final int SECONDS = 60;
    /** The soak, plus the pool's start (90 s at most) and its recovery after the kills (60 s at most), plus the stop. */
    private static final Duration LIMIT = Duration.ofSeconds(SECONDS + 90 + 60 + 60);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void sixtySecondsOfAKillEvery100msUnderLoadLeaveTheSupervisorsSeriesFlat() throws IOException, InterruptedException {
        List<String> command = List.of("make", "--no-print-directory", "soak-run", "SOAK_SECONDS=" + SECONDS,
                                       "SOAK_PORT=7201", "SOAK_ADMIN_PORT=7211",
                                       "SOAK_FLAGS=-Dsoak.out=" + Stack.LOGS.resolve("soak"));
        Process make = new ProcessBuilder(command).directory(Stack.ROOT.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread copy = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(make.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    System.out.println(line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // make is gone
            }
        });
        int exit;
        try {
            if (!make.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("make soak-run still running after " + LIMIT.toSeconds() + " s");
            }
            exit = make.exitValue();
        } finally {
            stop(make);
        }
        copy.join(Duration.ofSeconds(5));
        String output;
        synchronized (lines) {
            output = String.join("\n", lines);
        }
        assertEquals(0, exit, "the soak failed (its series and verdict above, logs in target/e2e-logs/soak/):\n" + output);
        assertTrue(output.contains("soak: PASSED"), "no verdict from the soak:\n" + output);
    }

    /**
     * SIGTERM to the driver first, whose shutdown hook stops the supervisor and its workers; then
     * SIGKILL to whatever is left under make (a test that timed out must leave no JVM behind).
     */
    private static void stop(Process make) throws InterruptedException {
        if (!make.isAlive()) {
            return;
        }
        List<ProcessHandle> all = make.descendants().toList();
        make.children().forEach(ProcessHandle::destroy);
        make.waitFor(30, TimeUnit.SECONDS);
        all.forEach(ProcessHandle::destroyForcibly);
        make.destroyForcibly();
    }
}
