package io.revenant.supervisor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.util.Optional;

/**
 * Tells before any worker is spawned whether the public port can be bound with SO_REUSEPORT,
 * so "port in use" is one clear message instead of a storm of failing workers. It binds a
 * client socket (bind without listen), so no connection can ever be queued on it.
 */
final class PortCheck {

    private PortCheck() {
    }

    /** Empty when bindable, otherwise the reason. */
    static Optional<String> problem(String host, int port) {
        try (Socket probe = new Socket()) {
            probe.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            probe.bind(new InetSocketAddress(host, port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
