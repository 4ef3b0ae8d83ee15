package io.revenant.worker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code server.header-timeout}: cuts off a connection whose request head has not arrived in
 * time (slowloris: one header byte every few seconds keeps a connection, and its thread and
 * descriptor, forever). Helidon 4.5 has no such timeout: its idle timeout interrupts only a
 * connection that waits for a request line, and a socket read timeout restarts with every byte.
 * One daemon thread looks at every open connection a few times per timeout.
 */
final class HeaderDeadline {

    private final Duration timeout;
    private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();

    HeaderDeadline(Duration timeout) {
        this.timeout = timeout;
        long tickMillis = Math.clamp(timeout.toMillis() / 4, 25, 1000);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("header-deadline").factory());
        ticks.scheduleWithFixedDelay(this::check, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    void watch(ClientConnection connection) {
        open.add(connection);
    }

    void forget(ClientConnection connection) {
        open.remove(connection);
    }

    private void check() {
        long now = System.nanoTime();
        open.removeIf(connection -> connection.cutOffIfLate(now, timeout));
    }
}
