package io.revenant.supervisor;

import io.helidon.webserver.WebServer;

import io.revenant.config.RevenantConfig;

/** Starts the supervisor's admin listener (loopback by default) when {@code admin.enabled}. */
final class AdminListener {

    private AdminListener() {
    }

    /** @return the running server, or null when disabled or the port cannot be bound (logged) */
    static WebServer start(RevenantConfig config, Supervisor supervisor, EventLog log) {
        if (!config.admin().enabled()) {
            return null;
        }
        WebServer server = WebServer.builder()
                .host(config.admin().host())
                .port(config.admin().port())
                .shutdownHook(false)
                .routing(routing -> routing.register("/", new AdminService(supervisor.snapshot(), supervisor::enqueue,
                                                                                     config.admin().host())))
                .build()
                .start();
        if (!server.isRunning()) {
            log.event("admin-unavailable", "host", config.admin().host(), "port", config.admin().port(),
                      "message", "cannot listen; health, status and reload endpoints are off");
            return null;
        }
        log.event("admin-listening", "host", config.admin().host(), "port", server.port());
        return server;
    }
}
