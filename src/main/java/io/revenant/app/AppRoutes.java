package io.revenant.app;

import java.util.function.Supplier;

import io.helidon.webserver.http.HttpRouting;

import io.revenant.protocol.WorkerIdentity;

/** The application's routes, registered on every worker's public listener. */
public final class AppRoutes {

    private AppRoutes() {
    }

    /**
     * Adds the application's routes; tests call this too.
     *
     * @param identity who answers; a supplier because a hot spare learns its slot only when it
     *                 takes one, after its routes are built and warmed
     */
    public static void routing(HttpRouting.Builder routing, Supplier<WorkerIdentity> identity) {
        routing.register("/", new HelloService(identity));
    }
}
