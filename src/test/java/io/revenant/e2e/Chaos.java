package io.revenant.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

import io.revenant.testing.KeepAliveLoad;
import io.revenant.testing.KillLoop;

/**
 * The chaos run of the issue: a bounded concurrent GET load through nginx while a worker is
 * killed through nginx every 100 ms. Prints and records the figures; the caller asserts.
 */
final class Chaos {

    static final Duration LOAD = Duration.ofSeconds(20);
    static final Duration KILL_PERIOD = Duration.ofMillis(100);
    static final int CONNECTIONS = 32;

    private Chaos() {
    }

    /** Figures of one run. */
    record Outcome(KeepAliveLoad.Report load, long kills, long killAttempts) {

        @Override
        public String toString() {
            return load + " kills=" + kills + "/" + killAttempts;
        }
    }

    /**
     * What nginx's retries hold under the storm, measured, not 0: with at most 3 tries (issue 10's
     * cap) every try of a request can meet a dying worker while the 2-core host keeps starting
     * JVMs. Measured in five runs (1 and 2 workers per container): 0, 0, 5 of 2,896 and 27 of
     * 4,275 answered 502. Nothing else may fail: no refused or reset client connection, and a
     * misconfigured nginx (max_fails=3 gave 99.9 % failed) fails this. Kept upstream connections
     * without the round on new ones (0.04-0.5 % measured) would pass it: NginxConfTest keeps
     * that round in the template.
     */
    static void assertOnlyRare502s(Outcome outcome) {
        org.junit.jupiter.api.Assertions.assertTrue(outcome.kills() > 0, "no kill went through: " + outcome);
        org.junit.jupiter.api.Assertions.assertTrue(outcome.load().requests() > 0, "no request was sent: " + outcome);
        org.junit.jupiter.api.Assertions.assertTrue(outcome.load().failures() * 100 <= outcome.load().requests(),
                "more than 1 % of requests failed under chaos: " + outcome);
        org.junit.jupiter.api.Assertions.assertTrue(
                outcome.toString().matches("(?s).*failure-kinds=\\{(status-502=\\d+)?\\}.*"),
                "a failure other than nginx's 502 after its tries (a refused or reset client connection): " + outcome);
    }

    static Outcome run(Stack stack, String label) throws InterruptedException, IOException {
        KeepAliveLoad.Report report;
        long kills;
        long attempts;
        try (KeepAliveLoad load = new KeepAliveLoad(stack.env.nginx(), CONNECTIONS, LOAD.plusSeconds(5),
                KeepAliveLoad.Unanswered.RETRY_ONCE)) {
            try (KillLoop killer = new KillLoop(stack.env.nginx(), KILL_PERIOD, LOAD)) {
                Thread.sleep(LOAD);   // the load's duration is the measurement, not a wait for a condition
                kills = killer.kills();
                attempts = killer.attempts();
            }
            report = load.stop();
        }
        Outcome outcome = new Outcome(report, kills, attempts);
        String line = Instant.now() + " chaos " + label + " containers=" + stack.env.containers()
                      + " load=" + LOAD.toSeconds() + "s connections=" + CONNECTIONS
                      + " kill-every=" + KILL_PERIOD.toMillis() + "ms " + outcome;
        System.out.println(line);
        Files.createDirectories(Stack.LOGS);
        Files.writeString(Stack.LOGS.resolve("chaos.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return outcome;
    }
}
