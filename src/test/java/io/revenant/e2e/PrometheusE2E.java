package io.revenant.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus scrapes a real supervisor's admin {@code /metrics} on loopback every second
 * (the supervisor as {@code make run} starts it). Through Prometheus' HTTP API: every target is
 * up with no scrape error, and {@code revenant_worker_restarts_total} rises after a chaos kill.
 */
class PrometheusE2E {

    private static final int WORKERS = 2;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void prometheusScrapesEveryTargetAndSeesTheRestartCounterRiseAfterAKill() throws Exception {
        // in the dash range of the shared machine (43000-43999)
        try (LocalSupervisor supervisor = LocalSupervisor.start("prometheus", 43200, 43300, "host: 0.0.0.0 ", "host: 127.0.0.1",
                "port: 3000 ", "port: {APP}", "  port: 9000", "  port: {ADMIN}", "workers: auto ", "workers: " + WORKERS + "    ")) {
            supervisor.awaitReady(WORKERS);
            List<String> targets = List.of("127.0.0.1:" + supervisor.adminPort);
            try (PrometheusServer prometheus = PrometheusServer.start("prometheus", 43300, 43400, targets)) {
                Await.slowly("every target is up with no scrape error", DEADLINE, () -> allUp(prometheus, targets.size()),
                             () -> targetsOrError(prometheus));
                Await.slowly("Prometheus has the pool's READY workers", DEADLINE,
                             () -> value(prometheus, "revenant_workers_ready") == WORKERS, () -> targetsOrError(prometheus));
                double before = value(prometheus, "sum(revenant_worker_restarts_total)");

                Http.Response killed = Http.post(URI.create("http://127.0.0.1:" + supervisor.appPort + "/chaos/kill"));
                assertEquals(202, killed.status(), killed.body());

                Await.slowly("revenant_worker_restarts_total rose above " + before + " after the kill", DEADLINE,
                             () -> value(prometheus, "sum(revenant_worker_restarts_total{cause=\"chaos-kill\"})") >= before + 1,
                             () -> "query says " + value(prometheus, "revenant_worker_restarts_total") + "; supervisor:\n"
                                   + supervisor.tail());
                System.out.println("prometheus: restarts before=" + before + " after="
                                   + value(prometheus, "sum(revenant_worker_restarts_total)") + " targets=" + targetsOrError(prometheus));
                assertTrue(allUp(prometheus, targets.size()), "a target went down: " + targetsOrError(prometheus));
            }
        }
    }

    private static boolean allUp(PrometheusServer prometheus, int expected) {
        try {
            JsonNode active = prometheus.activeTargets();
            List<String> up = new ArrayList<>();
            active.forEach(target -> {
                if (target.path("health").asText().equals("up") && target.path("lastError").asText().isEmpty()) {
                    up.add(target.path("scrapeUrl").asText());
                }
            });
            return active.size() == expected && up.size() == expected;
        } catch (IOException e) {
            return false;
        }
    }

    private static String targetsOrError(PrometheusServer prometheus) {
        try {
            return prometheus.activeTargets().toString();
        } catch (IOException e) {
            return e + "\n" + prometheus.text();
        }
    }

    /** The query's value; 0 while the vector is empty (no restart has happened yet). */
    private static double value(PrometheusServer prometheus, String promql) {
        try {
            return prometheus.value(promql).orElse(0.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
