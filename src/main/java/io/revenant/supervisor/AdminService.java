package io.revenant.supervisor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The supervisor's admin endpoints. They read the snapshot the loop publishes and enqueue
 * events; they never touch the pool directly.
 */
final class AdminService implements HttpService {

    private final AtomicReference<PoolSnapshot> snapshot;
    private final Consumer<Event> events;

    AdminService(AtomicReference<PoolSnapshot> snapshot, Consumer<Event> events) {
        this.snapshot = snapshot;
        this.events = events;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health)
                .get("/status", this::status)
                .post("/reload", this::reload)
                .get("/metrics", this::metrics);
    }

    private void health(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        res.status(pool.healthy() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send("{\"status\":\"" + (pool.healthy() ? "UP" : "DOWN") + "\",\"ready\":" + pool.ready()
                 + ",\"min-ready\":" + pool.minReady() + ",\"workers\":" + pool.target()
                 + ",\"stopping\":" + pool.stopping() + "}");
    }

    private void status(ServerRequest req, ServerResponse res) {
        PoolSnapshot pool = snapshot.get();
        StringBuilder json = new StringBuilder(512)
                .append("{\"instance\":").append(quote(pool.instance()))
                .append(",\"version\":").append(quote(pool.version()))
                .append(",\"pid\":").append(pool.pid())
                .append(",\"started\":").append(quote(pool.startedAt().toString()))
                .append(",\"config\":").append(quote(pool.configSource()))
                .append(",\"worker-count\":").append(quote(pool.workerCount()))
                .append(",\"workers\":").append(pool.target())
                .append(",\"ready\":").append(pool.ready())
                .append(",\"min-ready\":").append(pool.minReady())
                .append(",\"stopping\":").append(pool.stopping())
                .append(",\"restarts-by-cause\":{");
        appendCounts(json, pool.restartsByCause());
        json.append("},\"slots\":[");
        List<PoolSnapshot.SlotView> slots = pool.slots();
        for (int i = 0; i < slots.size(); i++) {
            PoolSnapshot.SlotView slot = slots.get(i);
            json.append(i == 0 ? "" : ",")
                    .append("{\"slot\":").append(slot.slot())
                    .append(",\"worker\":").append(slot.worker())
                    .append(",\"pid\":").append(slot.pid())
                    .append(",\"state\":").append(quote(slot.state()))
                    .append(",\"admin-port\":").append(slot.adminPort())
                    .append(",\"restarts\":").append(slot.restarts())
                    .append(",\"last-exit\":").append(quote(slot.lastExit()))
                    .append(",\"uptime-ms\":").append(slot.startedAt() == null ? 0
                            : System.currentTimeMillis() - slot.startedAt().toEpochMilli())
                    .append(",\"rss-kib\":").append(slot.pid() < 0 ? 0 : Math.max(0, ProcStatus.rssKib(slot.pid())))
                    .append('}');
        }
        json.append("]}");
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(json.toString());
    }

    private void reload(ServerRequest req, ServerResponse res) {
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
                .append("revenant_supervisor_rss_bytes ").append(ProcStatus.rssKib(pool.pid()) * 1024).append('\n');
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(text.toString());
    }

    private static void appendCounts(StringBuilder json, Map<String, Long> counts) {
        boolean first = true;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            json.append(first ? "" : ",").append(quote(entry.getKey())).append(':').append(entry.getValue());
            first = false;
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
