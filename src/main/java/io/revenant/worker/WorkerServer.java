package io.revenant.worker;

import java.util.function.Supplier;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import io.revenant.app.AppRoutes;
import io.revenant.config.WorkerIdentity;
import io.revenant.config.WorkerSettings;

/**
 * The Helidon server of one worker: the public listener and a private loopback admin listener
 * that the supervisor's watchdog probes. The probe is served by the same request machinery as
 * user traffic, so a worker whose request handling is stuck fails it.
 *
 * <p>The public listener starts on a private loopback placeholder (an ephemeral port that no
 * client knows) and serves the public port only once {@link BorrowedSocket#adopt} has put the
 * supervisor's socket in its place: Helidon 4.5 has no API to serve a given descriptor.
 */
final class WorkerServer {

    static final String ADMIN_SOCKET = "admin";
    /** Placeholder queue: only the worker's own warm-up and wake-up connections ever land on it. */
    private static final int PLACEHOLDER_BACKLOG = 64;

    private WorkerServer() {
    }

    static WebServer create(WorkerSettings settings, Supplier<WorkerIdentity> identity, RequestBudget budget,
                            Runnable crash) {
        return WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .backlog(PLACEHOLDER_BACKLOG)
                .shutdownGracePeriod(settings.stopGrace())
                .routing(routing -> publicRouting(routing, settings, identity, budget, crash))
                .putSocket(ADMIN_SOCKET, admin -> admin.host("127.0.0.1").port(0))
                .routing(ADMIN_SOCKET, routing -> adminRouting(routing, budget))
                .build();
    }

    static void publicRouting(HttpRouting.Builder routing, WorkerSettings settings, Supplier<WorkerIdentity> identity,
                              RequestBudget budget, Runnable crash) {
        routing.addFilter(budget);
        if (settings.chaos().killEndpoint()) {
            routing.register("/chaos", new ChaosService(identity, settings.chaos().token(), crash));
        }
        AppRoutes.routing(routing, identity);
    }

    static void adminRouting(HttpRouting.Builder routing, RequestBudget budget) {
        routing.get("/health", (req, res) -> res.send("ok"))
                .get("/stats", (req, res) -> {
                    res.headers().contentType(MediaTypes.APPLICATION_JSON);
                    res.send("{\"served\":" + budget.served() + ",\"in-flight\":" + budget.inFlight() + "}");
                });
    }
}
