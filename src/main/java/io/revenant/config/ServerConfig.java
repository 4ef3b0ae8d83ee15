package io.revenant.config;

/**
 * {@code server.*}: the public listening socket. The supervisor opens it once and every worker
 * accepts on that same socket, so its queue outlives any worker.
 *
 * @param host    interface to bind, {@code 0.0.0.0} for all
 * @param port    TCP port
 * @param backlog length of the socket's accept queue (listen(2)); connections wait there while
 *                no worker is accepting, e.g. during a respawn
 */
public record ServerConfig(String host, int port, int backlog) {

    /** Default of {@code server.backlog}. */
    public static final int DEFAULT_BACKLOG = 1024;
}
