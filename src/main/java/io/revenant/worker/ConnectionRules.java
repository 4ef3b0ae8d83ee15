package io.revenant.worker;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The first filter of every listener. It marks where routing starts and ends for the timeouts
 * ({@link ClientConnection}), and closes the connection after a response that says {@code Connection: close}
 * (asked by the client, or set by a route such as the chaos kill): Helidon 4.5.0 sends the header
 * and then waits for another request on the same socket (Helidon bug #12324, fixed after 4.5.0).
 * {@link CloseConnectionException} is the documented way for a filter to end a connection.
 */
final class ConnectionRules implements Filter {

    private final Drain drain;

    /** @param drain once draining, every response closes its connection (see {@link Drain}) */
    ConnectionRules(Drain drain) {
        this.drain = drain;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ClientConnection.current().ifPresent(ClientConnection::headRead);
        if (drain.draining()) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        try {
            chain.proceed();
        } finally {
            ClientConnection.current().ifPresent(ClientConnection::responded);
        }
        if (req.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
            || res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
            if (res.hasEntity()) {
                res.commit();   // a streamed entity not closed by its route: finish it before closing
            }
            throw new CloseConnectionException("Connection: close");
        }
    }
}
