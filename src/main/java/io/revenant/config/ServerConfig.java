package io.revenant.config;

import java.time.Duration;

/**
 * {@code server.*}: the public listening socket. The supervisor opens it once and every worker
 * accepts on that same socket, so its queue outlives any worker.
 *
 * @param host           interface to bind, {@code 0.0.0.0} for all
 * @param port           TCP port
 * @param backlog        length of the socket's accept queue (listen(2)); connections wait there while
 *                       no worker is accepting, e.g. during a respawn
 * @param headerTimeout  a request's head (request line and headers) must arrive within this time of
 *                       its first byte, a new connection's within this time of its accept; else 408
 *                       and close (slowloris)
 * @param idleTimeout    a connection with no request in progress for this long is closed
 * @param maxConnections connections one worker serves at once; at the cap it stops accepting, and
 *                       further connections wait in the shared accept queue for any worker with room
 */
public record ServerConfig(String host, int port, int backlog, Duration headerTimeout, Duration idleTimeout,
                           int maxConnections) {

    /** Default of {@code server.backlog}. */
    public static final int DEFAULT_BACKLOG = 1024;
    /** Default of {@code server.header-timeout}: ample for a real client, short for a slowloris. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default of {@code server.idle-timeout}: longer than nginx's 60 s upstream keepalive_timeout,
     * so that a proxy closes its kept connection before the worker does, never sends a request
     * into one the worker is closing.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    /** Default of {@code server.max-connections}: Tomcat's default maxConnections. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8192;

    /** The public socket with the default connection limits. */
    public ServerConfig(String host, int port, int backlog) {
        this(host, port, backlog, DEFAULT_HEADER_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }
}
