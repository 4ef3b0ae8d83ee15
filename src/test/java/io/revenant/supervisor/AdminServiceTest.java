package io.revenant.supervisor;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** The supervisor's admin routes with a hand-made snapshot (issue 11 findings 1 and 8). */
@RoutingTest
class AdminServiceTest {

    static final AtomicReference<PoolSnapshot> SNAPSHOT = new AtomicReference<>();
    static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

    private final DirectClient client;

    AdminServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register("/", new AdminService(SNAPSHOT, EVENTS::add, "127.0.0.1"));
    }

    @BeforeEach
    void freshPool() {
        SNAPSHOT.set(snapshot(System.nanoTime()));
        EVENTS.clear();
    }

    private static PoolSnapshot snapshot(long publishedAtNanos) {
        return new PoolSnapshot("i", "v", 1, Instant.EPOCH, "cfg", "2", 1, 1, false,
                                List.of(new PoolSnapshot.SlotView(1, 1, -1, "ready", 0, "", null, 1234)),
                                Map.of(), publishedAtNanos, 3);
    }

    @Test
    void healthIsUpWithTheLoopAge() {
        try (Http1ClientResponse response = client.get("/health").request()) {
            assertThat(response.status(), is(Status.OK_200));
            String body = response.as(String.class);
            assertThat(body, containsString("\"status\":\"UP\""));
            assertThat(body, containsString("\"loop-age-ms\":"));
        }
    }

    // a client that asks for text got 415 and the supervisor logged Helidon's "no media writer" warning
    @ParameterizedTest
    @ValueSource(strings = {"/health", "/status"})
    void jsonEndpointsAnswerJsonWhateverTheAcceptHeader(String path) {
        try (Http1ClientResponse response = client.get(path).header(HeaderNames.ACCEPT, "text/plain").request()) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.headers().contentType().map(type -> type.mediaType().text()).orElse(""),
                       is("application/json"));
            assertThat(response.as(String.class), containsString("\"loop-age-ms\":"));
        }
    }

    // issue 11 finding 1: /health answered 200 UP from the last snapshot of a loop that had stopped turning
    @Test
    void healthIsStuckWhenTheLoopStoppedTurning() {
        SNAPSHOT.set(snapshot(System.nanoTime() - TimeUnit.SECONDS.toNanos(30)));
        try (Http1ClientResponse response = client.get("/health").request()) {
            assertThat(response.status(), is(Status.SERVICE_UNAVAILABLE_503));
            assertThat(response.as(String.class), containsString("\"status\":\"STUCK\""));
        }
    }

    // issue 11 finding 1: lines the supervisor dropped rather than block on a stuck reader are counted
    @Test
    void metricsAndStatusCountDroppedLogLines() {
        try (Http1ClientResponse response = client.get("/metrics").request()) {
            assertThat(response.as(String.class), containsString("\nrevenant_log_dropped_lines_total 3\n"));
        }
        try (Http1ClientResponse response = client.get("/status").request()) {
            assertThat(response.as(String.class), containsString("\"log-lines-dropped\":3,"));
        }
    }

    @Test
    void statusShowsTheLoopAge() {
        try (Http1ClientResponse response = client.get("/status").request()) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.as(String.class), containsString("\"loop-age-ms\":"));
        }
    }

    // before the loop's first snapshot /status failed with a 500 (a NullPointerException)
    @Test
    void statusBeforeTheFirstSnapshotIs503Starting() {
        SNAPSHOT.set(null);
        try (Http1ClientResponse response = client.get("/status").request()) {
            assertThat(response.status(), is(Status.SERVICE_UNAVAILABLE_503));
            assertThat(response.as(String.class), containsString("\"reason\":\"starting\""));
        }
    }

    // issue 11 finding 8: GET /reload answered 404
    @Test
    void getReloadIs405AllowingPost() {
        try (Http1ClientResponse response = client.get("/reload").request()) {
            assertThat(response.status(), is(Status.METHOD_NOT_ALLOWED_405));
            assertThat(response.headers().first(HeaderNames.ALLOW).orElse(""), is("POST"));
        }
        assertThat(EVENTS, is(empty()));
    }

    // issue 11 finding 8: wrong methods on the GET routes
    @Test
    void postOnTheGetRoutesIs405AllowingGet() {
        for (String path : List.of("/health", "/status", "/metrics")) {
            try (Http1ClientResponse response = client.method(Method.POST).path(path).request()) {
                assertThat(path, response.status(), is(Status.METHOD_NOT_ALLOWED_405));
                assertThat(path, response.headers().first(HeaderNames.ALLOW).orElse(""), is("GET"));
            }
        }
    }

    // Helidon 4.5.0 would send the body with a HEAD answer: HEAD is refused rather than answered wrongly
    @Test
    void headIs405AllowingGet() {
        try (Http1ClientResponse response = client.method(Method.HEAD).path("/health").request()) {
            assertThat(response.status(), is(Status.METHOD_NOT_ALLOWED_405));
        }
    }

    @Test
    void unknownPathsStay404() {
        try (Http1ClientResponse response = client.method(Method.POST).path("/nothing").request()) {
            assertThat(response.status(), is(Status.NOT_FOUND_404));
        }
    }

    // issue 11 finding 8: a page in a local browser could POST /reload cross-origin
    @Test
    void crossOriginReloadIsRefused() {
        try (Http1ClientResponse response = client.post("/reload").header(HeaderNames.ORIGIN, "http://evil.example")
                .request()) {
            assertThat(response.status(), is(Status.FORBIDDEN_403));
            assertThat(response.as(String.class), containsString("Origin http://evil.example is not this admin listener"));
        }
        try (Http1ClientResponse response = client.post("/reload")
                .header(HeaderNames.create("Sec-Fetch-Site"), "cross-site").request()) {
            assertThat(response.status(), is(Status.FORBIDDEN_403));
        }
        assertThat(EVENTS, is(empty()));
    }

    @Test
    void reloadWithoutOriginIsAccepted() {
        try (Http1ClientResponse response = client.post("/reload").request()) {
            assertThat(response.status(), is(Status.ACCEPTED_202));
        }
        assertThat(EVENTS, hasSize(1));
    }
}
