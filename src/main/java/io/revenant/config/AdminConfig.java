package io.revenant.config;

/**
 * {@code admin.*}: the supervisor's own HTTP listener (health, status, metrics, reload).
 * Loopback by default because it reveals internals and can restart workers.
 *
 * @param enabled whether the listener is started
 * @param host    interface to bind
 * @param port    TCP port, 0 for any free port
 */
public record AdminConfig(boolean enabled, String host, int port) {
}
