package io.revenant.config;

/**
 * {@code server.*}: where every worker listens (all of them on the same port, via SO_REUSEPORT).
 *
 * @param host interface to bind, {@code 0.0.0.0} for all
 * @param port TCP port shared by the workers
 */
public record ServerConfig(String host, int port) {
}
