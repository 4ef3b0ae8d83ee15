package io.revenant.supervisor;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import io.revenant.config.ChaosConfig;
import io.revenant.config.RevenantConfig;
import io.revenant.net.ListenSocket;

/** Starts the supervisor's admin listener (loopback by default) when {@code admin.enabled}. */
final class AdminListener {

    private static final String OFF = "health, status and reload endpoints are off";
    /**
     * Overrides {@code admin.host}: the stack's compose file sets it to 0.0.0.0 in each container,
     * whose admin port it publishes on the host's loopback only (a published port arrives on the
     * container's interface, not on its loopback). The mounted config stays the one file.
     */
    static final String HOST_VARIABLE = "REVENANT_ADMIN_HOST";

    private AdminListener() {
    }

    /** {@code admin.host}, or {@link #HOST_VARIABLE} when set (a bad value fails the probe, which names the address). */
    private static String host(RevenantConfig config, EventLog log) {
        String override = System.getenv(HOST_VARIABLE);
        if (override == null || override.isBlank()) {
            return config.admin().host();
        }
        log.event("admin-host-override", "variable", HOST_VARIABLE, "host", override.strip(), "admin.host", config.admin().host());
        return override.strip();
    }

    /**
     * The address is probed first: Helidon reports a bind failure as a SEVERE stack trace and an
     * unresolvable host as an exception out of build(), neither of which says which key is wrong.
     *
     * @return the running server, or null when disabled or the address cannot be bound (logged)
     */
    static WebServer start(RevenantConfig config, SupervisorLoop supervisor, EventLog log) {
        if (!config.admin().enabled()) {
            return null;
        }
        String host = host(config, log);
        int port = config.admin().port();
        Optional<ListenSocket.BindFailure> failure = ListenSocket.probe("admin", host, port);
        if (failure.isPresent()) {
            log.event("admin-unavailable", "key", failure.get().key(), "host", host, "port", port,
                      "message", failure.get().getMessage() + "; " + OFF);
            return null;
        }
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownHook(false)
                .routing(routing -> routing(routing, supervisor.snapshot(), supervisor::enqueue, host, config.chaos(),
                                            log.feed(), new ChaosRelay(config.server().host(), config.server().port())))
                .build()
                .start();
        if (!server.isRunning()) {
            // taken between the probe and the bind
            log.event("admin-unavailable", "host", host, "port", port, "message", "cannot listen; " + OFF);
            return null;
        }
        log.event("admin-listening", "host", host, "port", server.port());
        return server;
    }

    /**
     * Every route of the admin listener; EndpointTableTest reads them from here and compares
     * them with the endpoints table of docs/operations.md.
     */
    static void routing(HttpRouting.Builder routing, AtomicReference<PoolSnapshot> snapshot, Consumer<Event> events,
                        String host, ChaosConfig chaos, EventFeed feed, ChaosRelay chaosRelay) {
        routing.register("/", new AdminService(snapshot, events, host, feed, chaos, Optional.ofNullable(chaosRelay)));
    }
}
