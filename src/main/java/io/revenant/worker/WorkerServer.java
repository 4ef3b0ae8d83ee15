package io.revenant.worker;

import java.time.Duration;
import java.util.function.Supplier;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

import io.revenant.app.AppRoutes;
import io.revenant.config.ServerConfig;
import io.revenant.protocol.JsonText;
import io.revenant.protocol.WorkerIdentity;
import io.revenant.protocol.WorkerSettings;
import io.revenant.protocol.WorkerStats;

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
                            Drain drain, Runnable crash) {
        ServerConfig server = settings.server();
        ClientConnectionSelector connections = new ClientConnectionSelector(server.headerTimeout(), drain);
        WebServerConfig.Builder builder = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .backlog(PLACEHOLDER_BACKLOG)
                .shutdownGracePeriod(settings.stopGrace())
                // counted per worker, and taken before accept(2): at the cap this worker stops
                // accepting, and new connections wait in the shared queue for a worker with room
                .maxTcpConnections(server.maxConnections())
                .routing(routing -> publicRouting(routing, settings, identity, budget, drain, crash))
                .putSocket(ADMIN_SOCKET, admin -> clientConnections(admin.host("127.0.0.1").port(0), server, connections))
                .routing(ADMIN_SOCKET, routing -> adminRouting(routing, budget));
        // the placeholder listener: its settings hold after BorrowedSocket swaps in the public socket
        clientConnections(builder, server, connections);
        return builder.build();
    }

    /** Timeouts and the connection selector of a listener; the admin one too, it is read by the watchdog. */
    private static void clientConnections(ListenerConfig.BuilderBase<?, ?> listener, ServerConfig server,
                                          ClientConnectionSelector connections) {
        listener.idleConnectionTimeout(server.idleTimeout())
                // Helidon looks for idle connections every 2 min by default: far too late for a 75 s timeout
                .idleConnectionPeriod(idleCheckPeriod(server.idleTimeout()))
                .protocolsDiscoverServices(false)
                .addConnectionSelector(connections);
    }

    /** A few looks per idle timeout, at most one a second. */
    static Duration idleCheckPeriod(Duration idleTimeout) {
        return Duration.ofMillis(Math.clamp(idleTimeout.toMillis() / 4, 25, 1000));
    }

    static void publicRouting(HttpRouting.Builder routing, WorkerSettings settings, Supplier<WorkerIdentity> identity,
                              RequestBudget budget, Runnable crash) {
        publicRouting(routing, settings, identity, budget, new Drain(), crash);
    }

    static void publicRouting(HttpRouting.Builder routing, WorkerSettings settings, Supplier<WorkerIdentity> identity,
                              RequestBudget budget, Drain drain, Runnable crash) {
        routing.addFilter(new ConnectionRules(drain));
        routing.addFilter(budget);
        if (settings.chaos().killEndpoint()) {
            routing.register("/chaos", new ChaosService(identity, settings.chaos().token(), crash));
        }
        AppRoutes.routing(routing, identity);
    }

    static void adminRouting(HttpRouting.Builder routing, RequestBudget budget) {
        routing.addFilter(new ConnectionRules(new Drain()))
                .get("/health", (req, res) -> res.send("ok"))
                .get("/stats", (req, res) -> {
                    // JSON as bytes whatever the Accept: negotiated, a text/plain client got 415 and a logged warning
                    res.headers().contentType(MediaTypes.APPLICATION_JSON);
                    res.send(JsonText.utf8(new WorkerStats(budget.served(), budget.inFlight()).toJson()));
                });
    }
}
