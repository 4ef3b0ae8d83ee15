package io.revenant.worker;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** The worker's loopback admin listener, which the supervisor's watchdog probes. */
@RoutingTest
class WorkerAdminTest {

    private final DirectClient client;

    WorkerAdminTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        RequestBudget budget = new RequestBudget(0, () -> { });
        WorkerServer.adminRouting(routing, budget);
    }

    // negotiated, a text/plain client got 415 and the worker logged Helidon's "no media writer" warning
    @Test
    void statsAnswerJsonWhateverTheAcceptHeader() {
        try (Http1ClientResponse response = client.get("/stats").header(HeaderNames.ACCEPT, "text/plain").request()) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.headers().contentType().map(type -> type.mediaType().text()).orElse(""),
                       is("application/json"));
            assertThat(response.as(String.class), containsString("\"served\":"));
        }
    }
}
