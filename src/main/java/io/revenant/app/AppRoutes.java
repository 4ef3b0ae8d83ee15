package io.revenant.app;

import io.helidon.webserver.http.HttpRouting;

import io.revenant.config.WorkerIdentity;

/** The application's routes, registered on every worker's public listener. */
public final class AppRoutes {

    private AppRoutes() {
    }

    /** Adds the application's routes; tests call this too. */
    public static void routing(HttpRouting.Builder routing, WorkerIdentity identity) {
        routing.register("/", new HelloService(identity));
    }
}
