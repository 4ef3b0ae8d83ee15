package io.revenant.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.revenant.testing.Await;
import io.revenant.testing.Http;


/**
 * The chaos runs with two workers per container ({@code supervisor.workers: 2}, and the
 * config's hot spare): through nginx, and straight to a container's port on fresh connections.
 */
@ExtendWith(NoSysctl.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosTwoWorkersE2E {

    private Stack stack;

    @BeforeAll
    void up() throws IOException, InterruptedException {
        stack = Stack.up("two-workers", "workers: auto ", "workers: 2    ");
    }

    @AfterAll
    void down() throws IOException, InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Tag("chaos")
    @Order(1)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    /* The bound and why: Chaos.assertOnlyRare502s. */
    void chaosWithTwoWorkersPerContainerFailsAtMostOnePercentAllAs502() throws IOException, InterruptedException {
        stack.assertOneNginxLinePerContainer();
        Chaos.assertOnlyRare502s(Chaos.run(stack, "workers-per-container=2"));
    }

    @Test
    @Tag("chaos")
    @Order(2)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void directChaosOnFreshConnectionsWithTwoWorkersAndASpareRefusesNoConnection()
            throws IOException, InterruptedException {
        Await.slowly("container 1 answers on " + stack.env.app(1), Duration.ofSeconds(60),
                    () -> Http.identify(stack.env.app(1)).isPresent(), () -> "no answer");
        DirectChaos.Outcome outcome = DirectChaos.run(stack.env.app(1), "workers-per-container=2 spare=1");
        DirectChaos.assertHeld(outcome);
    }
}
