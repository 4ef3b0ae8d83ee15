package io.revenant.app;

import java.util.function.Supplier;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.revenant.protocol.WorkerIdentity;

/**
 * The demo application: says which worker of which server answered. Replace this package with
 * your own routes; {@link AppRoutes#routing} is the one hook the worker calls.
 */
final class HelloService implements HttpService {

    private final Supplier<WorkerIdentity> identity;
    private final String greeting;

    HelloService(Supplier<WorkerIdentity> identity) {
        this.identity = identity;
        // worker and instance never change; only a spare's slot does
        this.greeting = "Hello, I am worker [" + identity.get().worker() + "] of server [" + identity.get().instance() + "]";
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::hello)
                .get("/slow", this::slow);
    }

    /** {@code GET /slow?ms=N}: answers like {@code /} after N ms (≤ 60 s), to watch a graceful stop drain it. */
    private void slow(ServerRequest req, ServerResponse res) throws InterruptedException {
        String ms = req.query().first("ms").orElse("1000");
        if (!ms.matches("\\d{1,9}")) {
            res.status(Status.BAD_REQUEST_400).send("ms must be a whole number of milliseconds\n");
            return;
        }
        Thread.sleep(Math.min(Long.parseLong(ms), 60_000));
        hello(req, res);
    }

    private void hello(ServerRequest req, ServerResponse res) {
        boolean json = req.headers()
                .bestAccepted(MediaTypes.TEXT_PLAIN, MediaTypes.APPLICATION_JSON)
                .map(MediaTypes.APPLICATION_JSON::equals)
                .orElse(false);
        if (json) {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(identity.get().toJson());
        } else {
            res.headers().contentType(MediaTypes.TEXT_PLAIN);
            res.send(greeting);
        }
    }
}
