package io.revenant.app;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.Test;

import io.revenant.protocol.WorkerIdentity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

@RoutingTest
class HelloServiceTest {

    static final WorkerIdentity IDENTITY = new WorkerIdentity("0b6c5c1e-0000-4000-8000-000000000001", 7, 1, 4211, "0.1.0");

    private final DirectClient client;

    HelloServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        AppRoutes.routing(routing, () -> IDENTITY);
    }

    @Test
    void greetsAsText() {
        try (Http1ClientResponse response = client.get("/").request()) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.as(String.class),
                       is("Hello, I am worker [7] of server [0b6c5c1e-0000-4000-8000-000000000001]"));
        }
    }

    @Test
    void greetsAsJsonWhenAsked() {
        try (Http1ClientResponse response = client.get("/").header(HeaderNames.ACCEPT, "application/json").request()) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.headers().contentType().orElseThrow().mediaType().text(), is("application/json"));
            assertThat(response.as(String.class), is("{\"instance\":\"0b6c5c1e-0000-4000-8000-000000000001\","
                                                     + "\"worker\":7,\"slot\":1,\"pid\":4211,\"version\":\"0.1.0\"}"));
        }
    }

    /** Issue 13: this test checked only for a 200, so a /slow that did not wait would have passed. */
    @Test
    void slowAnswersAfterTheDelay() {
        long delayMs = 300;
        long start = System.nanoTime();
        try (Http1ClientResponse response = client.get("/slow").queryParam("ms", Long.toString(delayMs)).request()) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.as(String.class),
                       is("Hello, I am worker [7] of server [0b6c5c1e-0000-4000-8000-000000000001]"));
        }
        // a lower bound only: the delay is a minimum, and a busy machine may add to it
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat("ms from request to the whole answer", elapsedMs, greaterThanOrEqualTo(delayMs));
    }

    @Test
    void slowRejectsANonNumber() {
        try (Http1ClientResponse response = client.get("/slow").queryParam("ms", "soon").request()) {
            assertThat(response.status(), is(Status.BAD_REQUEST_400));
        }
    }
}
