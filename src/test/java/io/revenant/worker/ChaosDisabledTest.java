package io.revenant.worker;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import io.revenant.config.ChaosConfig;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

@RoutingTest
class ChaosDisabledTest {

    static final AtomicInteger CRASHES = new AtomicInteger();

    private final DirectClient client;

    ChaosDisabledTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WorkerServer.publicRouting(routing, ChaosServiceTest.settings(new ChaosConfig(false, Optional.empty())),
                                   () -> ChaosServiceTest.IDENTITY, new RequestBudget(0, () -> { }), CRASHES::incrementAndGet);
    }

    @Test
    void killIs404WhenDisabled() {
        try (Http1ClientResponse response = client.post("/chaos/kill").request()) {
            assertThat(response.status(), is(Status.NOT_FOUND_404));
        }
        assertThat(CRASHES.get(), is(0));
    }
}
