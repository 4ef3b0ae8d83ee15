package io.revenant.worker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.revenant.protocol.JsonText;
import io.revenant.protocol.WorkerIdentity;

/**
 * {@code POST /chaos/kill}: answers 202 with the identity of the worker that is about to die, then
 * the worker crashes (no graceful stop: this is the crash the supervisor must survive). Only
 * registered when {@code chaos.kill-endpoint} is true.
 */
final class ChaosService implements HttpService {

    /** The scheme and the one space before the token. */
    private static final String SCHEME = "Bearer ";

    private final Supplier<WorkerIdentity> identity;
    private final Optional<String> token;
    private final Runnable crash;

    ChaosService(Supplier<WorkerIdentity> identity, Optional<String> token, Runnable crash) {
        this.identity = identity;
        this.token = token;
        this.crash = crash;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/kill", this::kill)
                .any("/kill", this::methodNotAllowed);
    }

    private void kill(ServerRequest req, ServerResponse res) {
        if (token.isPresent() && !authorized(req.headers().first(HeaderNames.AUTHORIZATION))) {
            res.status(Status.UNAUTHORIZED_401)
                    .header(HeaderNames.WWW_AUTHENTICATE, "Bearer")
                    .send("missing or wrong Authorization: Bearer token\n");
            return;
        }
        res.status(Status.ACCEPTED_202)
                .header(HeaderValues.CONNECTION_CLOSE)
                .headers().contentType(MediaTypes.APPLICATION_JSON);
        // send(byte[]) returns once the bytes are written to the socket; only then may the process die.
        // Not send(JsonObject): the JSON-P media writer streams, and the answer was lost to the crash
        res.send(JsonText.utf8(identity.get().toJson()));
        crash.run();
    }

    private void methodNotAllowed(ServerRequest req, ServerResponse res) {
        res.status(Status.METHOD_NOT_ALLOWED_405)
                .header(HeaderNames.ALLOW, "POST")
                .send();
    }

    /**
     * {@code Bearer <token>}, the scheme in any case (RFC 9110 §11.1: auth schemes are
     * case-insensitive); the token is compared in constant time.
     */
    private boolean authorized(Optional<String> header) {
        byte[] expected = token.orElseThrow().getBytes(StandardCharsets.UTF_8);
        return header.filter(value -> value.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
                .map(value -> MessageDigest.isEqual(value.substring(SCHEME.length()).getBytes(StandardCharsets.UTF_8),
                                                    expected))
                .orElse(false);
    }
}
