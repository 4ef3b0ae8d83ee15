package io.revenant.protocol;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /health} on a worker's loopback admin listener: the worker's own check before it
 * reports READY, and the supervisor's watchdog probe.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    /** {@code "200"} when healthy, otherwise the status or what went wrong. */
    public static String status(int adminPort, int timeoutMillis) {
        try {
            return Integer.toString(OneShotHttp.get(URI.create("http://127.0.0.1:" + adminPort + "/health"), Map.of(),
                                                    Duration.ofMillis(timeoutMillis)).status());
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ":" + e.getMessage();
        }
    }
}
