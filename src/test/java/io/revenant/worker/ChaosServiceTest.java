package io.revenant.worker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.revenant.config.ChaosConfig;
import io.revenant.config.ServerConfig;
import io.revenant.protocol.JsonText;
import io.revenant.protocol.WorkerIdentity;
import io.revenant.protocol.WorkerSettings;
import io.revenant.testing.Await;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The public routing of a worker with the kill endpoint on and a token set; crashes are counted, not done. */
@RoutingTest
class ChaosServiceTest {

    static final WorkerIdentity IDENTITY = new WorkerIdentity("inst", 3, 2, 99, "dev");
    static final AtomicInteger CRASHES = new AtomicInteger();

    private final DirectClient client;

    ChaosServiceTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        WorkerServer.publicRouting(routing, settings(new ChaosConfig(true, Optional.of("s3cret"))), () -> IDENTITY,
                                   new RequestBudget(0, () -> { }), CRASHES::incrementAndGet);
    }

    static WorkerSettings settings(ChaosConfig chaos) {
        return new WorkerSettings("inst", 3, 2, "dev", 1, new ServerConfig("127.0.0.1", 3000, ServerConfig.DEFAULT_BACKLOG),
                                  chaos, Duration.ofSeconds(1), 0, Optional.empty(), false, Optional.empty(), 0);
    }

    @BeforeEach
    void reset() {
        CRASHES.set(0);
    }

    @Test
    void killAnswers202ThenCrashes() {
        try (Http1ClientResponse response = client.post("/chaos/kill")
                .header(HeaderNames.AUTHORIZATION, "Bearer s3cret").request()) {
            assertThat(response.status(), is(Status.ACCEPTED_202));
            assertThat(response.as(String.class), is(JsonText.write(IDENTITY.toJson())));
        }
        // the crash runs after the response is sent, so the client may see the response first
        Await.until("the crash after the 202", Duration.ofSeconds(5), () -> CRASHES.get() == 1);
    }

    /** Issue 11 finding 8: the auth scheme is case-insensitive (RFC 9110 §11.1); the token is not. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer s3cret | 202",
            "bearer s3cret | 202",
            "BEARER s3cret | 202",
            "bEaReR s3cret | 202",
            "Bearer S3CRET | 401",
            "Basic s3cret  | 401",
            "Bearer        | 401",
            "Bearers3cret  | 401",
            "s3cret        | 401"})
    void bearerSchemeInAnyCase(String authorization, int status) {
        try (Http1ClientResponse response = client.post("/chaos/kill")
                .header(HeaderNames.AUTHORIZATION, authorization).request()) {
            assertThat(authorization, response.status().code(), is(status));
        }
        if (status == 202) {
            Await.until("the crash after the 202", Duration.ofSeconds(5), () -> CRASHES.get() == 1);
        } else {
            assertThat(CRASHES.get(), is(0));
        }
    }

    @Test
    void wrongTokenIs401AndNobodyDies() {
        try (Http1ClientResponse response = client.post("/chaos/kill")
                .header(HeaderNames.AUTHORIZATION, "Bearer guess").request()) {
            assertThat(response.status(), is(Status.UNAUTHORIZED_401));
        }
        assertThat(CRASHES.get(), is(0));
    }

    @Test
    void missingTokenIs401() {
        try (Http1ClientResponse response = client.post("/chaos/kill").request()) {
            assertThat(response.status(), is(Status.UNAUTHORIZED_401));
        }
        assertThat(CRASHES.get(), is(0));
    }

    @Test
    void getIs405() {
        try (Http1ClientResponse response = client.get("/chaos/kill").request()) {
            assertThat(response.status(), is(Status.METHOD_NOT_ALLOWED_405));
            assertThat(response.headers().first(HeaderNames.ALLOW).orElseThrow(), is("POST"));
        }
        assertThat(CRASHES.get(), is(0));
    }
}
