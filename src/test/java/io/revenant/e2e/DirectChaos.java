package io.revenant.e2e;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

import io.revenant.testing.Await;
import io.revenant.testing.FreshConnectionLoad;
import io.revenant.testing.KillLoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct chaos run of issue 10: {@link #CLIENTS} clients on fresh connections (a new TCP
 * connection per {@code GET /}) straight to one container's published port, no nginx in between,
 * while a worker of that container is killed through the same port every
 * {@link #KILL_PERIOD}. The supervisor owns the listening socket, so a dead worker's queued
 * connections wait for a sibling, the spare or the replacement: no connect is refused, and only
 * requests already inside a dying worker may fail (at most one per client per kill).
 */
final class DirectChaos {

    static final Duration LOAD = Duration.ofSeconds(15);
    static final Duration KILL_PERIOD = Duration.ofMillis(200);
    static final int CLIENTS = 8;

    private DirectChaos() {
    }

    /** Figures of one run. */
    record Outcome(FreshConnectionLoad.Report load, long kills, long killAttempts) {

        @Override
        public String toString() {
            return load + " kills=" + kills + "/" + killAttempts + " failed-bound=" + killAttempts * CLIENTS;
        }
    }

    /** Runs the load and the kills against {@code app} for {@link #LOAD}, prints and records the counts; asserts nothing. */
    static Outcome run(URI app, String label) throws InterruptedException, IOException {
        return run(app, label, LOAD, "chaos.txt");
    }

    /** The same for {@code duration}, the line appended to {@code target/e2e-logs/<log>}. */
    static Outcome run(URI app, String label, Duration duration, String log) throws InterruptedException, IOException {
        FreshConnectionLoad.Report report;
        long kills;
        long attempts;
        try (FreshConnectionLoad load = new FreshConnectionLoad("direct chaos on " + app, app.getHost(), app.getPort(), "/",
                CLIENTS, duration.plusSeconds(10), FreshConnectionLoad.CLIENT_TIMEOUT, FreshConnectionLoad.REVENANT)) {
            Await.slowly("fresh-connection load on " + app + " is answered", Duration.ofSeconds(10),
                        () -> load.answered() > 50, () -> load.requests() + " requests, " + load.answered() + " answered");
            try (KillLoop killer = new KillLoop(app, KILL_PERIOD, duration)) {
                Thread.sleep(duration);   // the load's duration is the measurement, not a wait for a condition
                kills = killer.kills();
                attempts = killer.attempts();
            }
            report = load.stop();
        }
        Outcome outcome = new Outcome(report, kills, attempts);
        String line = Instant.now() + " direct-chaos " + label + " target=" + app + " load=" + duration.toSeconds()
                      + "s fresh-connection-clients=" + CLIENTS + " kill-every=" + KILL_PERIOD.toMillis() + "ms " + outcome;
        System.out.println(line);
        Files.createDirectories(Stack.LOGS);
        Files.writeString(Stack.LOGS.resolve(log), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return outcome;
    }

    /** The bar: kills happened, requests were answered, 0 refused, failed ≤ kills × clients. */
    static void assertHeld(Outcome outcome) {
        assertTrue(outcome.kills() > 0, "no kill went through: " + outcome);
        assertTrue(outcome.load().answered() > 0, "no request was answered: " + outcome);
        assertTrue(outcome.load().answeredBy().size() > 1, "only one worker answered, so no kill was survived: " + outcome);
        assertEquals(0, outcome.load().refused(), "connections refused under direct chaos: " + outcome);
        // attempts, not answered kills: a kill whose 202 was lost with the dying worker still killed
        assertTrue(outcome.load().failed() <= outcome.killAttempts() * CLIENTS,
                   "more failed requests than kills × clients (" + outcome.killAttempts() * CLIENTS + "): " + outcome);
    }
}
