package io.revenant.supervisor;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonObject;

import io.revenant.config.ChaosConfig;
import io.revenant.protocol.JsonText;

/**
 * The supervisor's admin endpoints. They read the snapshot the loop publishes and enqueue
 * events; they never touch the pool directly.
 */
final class AdminService implements HttpService {

    private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");

    private final AtomicReference<PoolSnapshot> snapshot;
    private final Consumer<Event> events;
    private final String adminHost;
    private final DashboardPage dashboard;
    private final EventStream eventStream;
    /** {@code chaos.kill-endpoint}: off, {@code /chaos/kill} is not a route here either. */
    private final boolean killRoute;
    private final Optional<ChaosRelay> chaosRelay;

    /** Without the chaos button, with a feed of its own (tests). */
    AdminService(AtomicReference<PoolSnapshot> snapshot, Consumer<Event> events, String adminHost) {
        this(snapshot, events, adminHost, new EventFeed(), new ChaosConfig(false, Optional.empty()), Optional.empty());
    }

    /**
     * @param adminHost  {@code admin.host}, the name under which browsers may call this listener their own origin
     * @param feed       the event log's lines for {@code GET /events}
     * @param chaos      whether the dashboard shows the kill button, and asks for a token
     * @param chaosRelay where {@code POST /chaos/kill} goes, when the kill endpoint is on (empty only in tests)
     */
    AdminService(AtomicReference<PoolSnapshot> snapshot, Consumer<Event> events, String adminHost, EventFeed feed,
                 ChaosConfig chaos, Optional<ChaosRelay> chaosRelay) {
        this.snapshot = snapshot;
        this.events = events;
        this.adminHost = adminHost;
        this.dashboard = new DashboardPage(chaos);
        this.eventStream = new EventStream(feed);
        this.killRoute = chaos.killEndpoint();
        this.chaosRelay = chaosRelay;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health)
                .get("/status", this::status)
                .get("/metrics", this::metrics)
                .post("/reload", this::reload)
                .get("/", dashboard)
                .get("/events", eventStream)
                // a known path with another method: 405 naming the allowed one (RFC 9110 §15.5.6).
                // Not HEAD: Helidon 4.5.0 neither routes it to GET nor leaves the body out
                .any("/health", allow("GET"))
                .any("/status", allow("GET"))
                .any("/metrics", allow("GET"))
                .any("/reload", allow("POST"))
                .any("/", allow("GET"))
                .any("/events", allow("GET"));
        if (killRoute) {
            rules.post("/chaos/kill", this::kill)
                    .any("/chaos/kill", allow("POST"));
        }
    }

    private static Handler allow(String methods) {
        return (req, res) -> res.status(Status.METHOD_NOT_ALLOWED_405)
                .header(HeaderNames.ALLOW, methods)
                .send();
    }

    private void health(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        Health health = pool == null ? Health.starting()
                : Health.of(pool.ready(), pool.minReady(), pool.target(), pool.stopping(), loopAgeMs(pool));
        res.status(Status.create(health.code()));
        sendJson(res, health.json());
    }

    /**
     * JSON whatever the request's Accept says, as bytes: left to Helidon's media negotiation, an
     * {@code Accept: text/plain} (curl -H, a probe) found no writer even with the content type
     * set, answered 415 and logged a warning. A client that asked for text gets JSON anyway, as
     * from most admin APIs.
     */
    private static void sendJson(ServerResponse res, JsonObject json) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(JsonText.utf8(json));
    }

    private static long loopAgeMs(PoolSnapshot pool) {
        return Math.max(0, (System.nanoTime() - pool.publishedAtNanos()) / 1_000_000);
    }

    private void status(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        if (pool == null) {
            // the listener starts just before the loop publishes its first snapshot
            res.status(Status.SERVICE_UNAVAILABLE_503);
            sendJson(res, Health.starting().json());
            return;
        }
        sendJson(res, StatusDocument.of(pool, loopAgeMs(pool), StatusDocument.Sources.live()));
    }

    /** Answers 403 and returns true for a browser's cross-origin POST ({@link AdminOrigin}). */
    private boolean refusedCrossOrigin(ServerRequest req, ServerResponse res) {
        Optional<String> refusal = AdminOrigin.refusal(req.headers().first(HeaderNames.ORIGIN), req.headers().first(SEC_FETCH_SITE),
                                                       adminHost, req.localPeer().port(), req.headers().first(HeaderNames.HOST));
        refusal.ifPresent(reason -> res.status(Status.FORBIDDEN_403).send(reason + "\n"));
        return refusal.isPresent();
    }

    private void reload(ServerRequest req, ServerResponse res) {
        if (refusedCrossOrigin(req, res)) {
            return;
        }
        events.accept(new Event.ReloadRequested("admin"));
        res.status(Status.ACCEPTED_202);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send("{\"reload\":\"requested\"}");
    }

    /** The dashboard's kill button: sent on to the public port, the worker's answer relayed as it is. */
    private void kill(ServerRequest req, ServerResponse res) {
        if (refusedCrossOrigin(req, res)) {
            return;
        }
        ChaosRelay.Answer answer;
        try {
            answer = chaosRelay.orElseThrow(() -> new IOException("no relay")).kill(req.headers().first(HeaderNames.AUTHORIZATION));
        } catch (IOException e) {
            res.status(Status.BAD_GATEWAY_502).send("no worker answered the kill: " + e.getMessage() + "\n");
            return;
        }
        res.status(Status.create(answer.status()));
        if (answer.status() == Status.ACCEPTED_202.code()) {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
        }
        res.send(answer.body());
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        res.header(HeaderNames.CONTENT_TYPE, MetricsText.CONTENT_TYPE);
        res.send(MetricsText.of(pool, loopAgeMs(pool), ProcStatus::rssKib));
    }
}
