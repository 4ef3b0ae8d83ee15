package io.revenant.e2e;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chaos run with two workers per container ({@code supervisor.workers: 2}). */
class ChaosTwoWorkersE2E {

    @Test
    @Tag("chaos")
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void chaosWithTwoWorkersPerContainerFailsNoRequest() throws IOException, InterruptedException {
        try (Stack stack = Stack.up("two-workers", "workers: auto ", "workers: 2    ")) {
            Chaos.Outcome outcome = Chaos.run(stack, "workers-per-container=2");
            assertTrue(outcome.kills() > 0, "no kill went through: " + outcome);
            assertTrue(outcome.load().requests() > 0, "no request was sent: " + outcome);
            assertEquals(0, outcome.load().failures(), "failed requests under chaos: " + outcome);
        }
    }
}
