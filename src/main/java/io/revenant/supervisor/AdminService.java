package io.revenant.supervisor;

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

/**
 * The supervisor's admin endpoints. They read the snapshot the loop publishes and enqueue
 * events; they never touch the pool directly.
 */
final class AdminService implements HttpService {

    private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");

    private final AtomicReference<PoolSnapshot> snapshot;
    private final Consumer<Event> events;
    private final String adminHost;

    /** @param adminHost {@code admin.host}, the name under which browsers may call this listener their own origin */
    AdminService(AtomicReference<PoolSnapshot> snapshot, Consumer<Event> events, String adminHost) {
        this.snapshot = snapshot;
        this.events = events;
        this.adminHost = adminHost;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health)
                .get("/status", this::status)
                .get("/metrics", this::metrics)
                .post("/reload", this::reload)
                // a known path with another method: 405 naming the allowed one (RFC 9110 §15.5.6).
                // Not HEAD: Helidon 4.5.0 neither routes it to GET nor leaves the body out
                .any("/health", allow("GET"))
                .any("/status", allow("GET"))
                .any("/metrics", allow("GET"))
                .any("/reload", allow("POST"));
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
        res.status(Status.create(health.code())).send(health.json());
    }

    private static long loopAgeMs(PoolSnapshot pool) {
        return Math.max(0, (System.nanoTime() - pool.publishedAtNanos()) / 1_000_000);
    }

    private void status(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        if (pool == null) {
            // the listener starts just before the loop publishes its first snapshot
            res.status(Status.SERVICE_UNAVAILABLE_503).send(Health.starting().json());
            return;
        }
        res.send(StatusDocument.of(pool, loopAgeMs(pool), StatusDocument.Sources.live()));
    }

    private void reload(ServerRequest req, ServerResponse res) {
        Optional<String> refusal = AdminOrigin.refusal(req.headers().first(HeaderNames.ORIGIN), req.headers().first(SEC_FETCH_SITE),
                                                       adminHost, req.localPeer().port());
        if (refusal.isPresent()) {
            res.status(Status.FORBIDDEN_403).send(refusal.get() + "\n");
            return;
        }
        events.accept(new Event.ReloadRequested("admin"));
        res.status(Status.ACCEPTED_202);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send("{\"reload\":\"requested\"}");
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        StringBuilder text = new StringBuilder(512);
        text.append("# HELP revenant_workers_ready Workers that reported READY and are not stopping.\n")
                .append("# TYPE revenant_workers_ready gauge\n")
                .append("revenant_workers_ready ").append(pool.ready()).append('\n')
                .append("# HELP revenant_workers_target Workers the pool should run.\n")
                .append("# TYPE revenant_workers_target gauge\n")
                .append("revenant_workers_target ").append(pool.target()).append('\n')
                .append("# HELP revenant_worker_restarts_total Worker restarts by exit cause.\n")
                .append("# TYPE revenant_worker_restarts_total counter\n");
        pool.restartsByCause().forEach((cause, n) ->
                text.append("revenant_worker_restarts_total{cause=\"").append(cause).append("\"} ").append(n).append('\n'));
        text.append("# HELP revenant_worker_rss_bytes Resident set size of each worker.\n")
                .append("# TYPE revenant_worker_rss_bytes gauge\n");
        for (PoolSnapshot.SlotView slot : pool.slots()) {
            if (slot.pid() > 0) {
                text.append("revenant_worker_rss_bytes{slot=\"").append(slot.slot()).append("\",worker=\"")
                        .append(slot.worker()).append("\"} ").append(Math.max(0, ProcStatus.rssKib(slot.pid())) * 1024)
                        .append('\n');
            }
        }
        text.append("# HELP revenant_supervisor_rss_bytes Resident set size of the supervisor.\n")
                .append("# TYPE revenant_supervisor_rss_bytes gauge\n")
                .append("revenant_supervisor_rss_bytes ").append(ProcStatus.rssKib(pool.pid()) * 1024).append('\n')
                .append("# HELP revenant_log_dropped_lines_total Output lines dropped because the supervisor's reader fell behind.\n")
                .append("# TYPE revenant_log_dropped_lines_total counter\n")
                .append("revenant_log_dropped_lines_total ").append(pool.logLinesDropped()).append('\n');
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(text.toString());
    }
}
