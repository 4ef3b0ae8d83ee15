package io.revenant.worker;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.revenant.protocol.OneShotHttp;

/**
 * Warms a hot spare before it is needed: serves a few hundred requests through its own server
 * on the loopback placeholder, so classes are loaded and the hot path is compiled by the time
 * the spare adopts the public socket. That server is the one that then takes real traffic: a
 * takeover is a descriptor swap, not a server start. While it waits, the spare answers itself
 * one request every 250 ms ({@link #once}, about 2 % of a core): measured on this project's
 * 2-core VM, a worker's first request after 2-3 s of idleness took 9 ms against 2.5 ms (its
 * pages and caches had gone cold; the VM's page-access monitor made it worse), and a spare's
 * takeover is exactly such a request.
 */
final class SpareWarmup {

    /**
     * Measured on 2 cores, 12 takeovers per run, runs alternating, the quieter of two sets: the
     * takeover's first answer (median from the worker's exit) after 150 warm-up requests
     * 7.4-7.9 ms, 250: 6.4-7.5, 400: 5.4-6.5, 800: 6.2-7.4; the spare was ready 0.70, 0.81,
     * 0.84-1.10 and 1.2-1.4 s after its spawn (docs/performance.md, round four).
     */
    private static final int REQUESTS = 400;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private SpareWarmup() {
    }

    /** One request, as the warm-up's, while the spare waits. */
    static void once(int placeholderPort) {
        try {
            OneShotHttp.get(root(placeholderPort), Map.of("Accept", "application/json"), TIMEOUT);
        } catch (IOException e) {
            // a missed beat: the next one comes
        }
    }

    static void run(int placeholderPort) {
        URI uri = root(placeholderPort);
        try {
            for (int i = 0; i < REQUESTS; i++) {
                OneShotHttp.get(uri, Map.of("Accept", i % 2 == 0 ? "text/plain" : "application/json"), TIMEOUT);
            }
        } catch (IOException e) {
            // a colder spare is still a spare
        }
    }

    private static URI root(int placeholderPort) {
        return URI.create("http://127.0.0.1:" + placeholderPort + "/");
    }
}
