package io.revenant.e2e;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus scrapes real supervisors' admin {@code /metrics} on loopback every second:
 * the supervisor as {@code make run} starts it, and each container of the stack. Through Prometheus' HTTP API: every target is
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

    /**
     * The same against the container stack: each container's admin port published on the host's
     * loopback ({@code admin.port + i}), all of them Prometheus targets.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void prometheusScrapesEveryContainerOfTheStackAndSeesTheRestartCounterRiseAfterAKill() throws Exception {
        // the image make e2e built (-Dimage=NAME:VERSION), ports in the dash range (43000-43999)
        String imageName = System.getProperty("image", "revenant:x").replaceFirst(":[^:/]*$", "");
        // bases whose next two ports are free now: the range lies inside Linux's ephemeral ports
        int app = freeBase(43900, 43950);
        int admin = freeBase(43950, 44000);
        List<String> makeVars = List.of("PROJECT=rv-e2e-prometheus", "NGINX_PORT=" + freeBase(43430, 43440),
                                        "IMAGE_NAME=" + imageName, "STACK_DIR=target/stack-e2e-prometheus");
        try (Stack stack = Stack.up("prometheus-stack", makeVars, "port: 3000 ", "port: " + app, "  port: 9000",
                                    "  port: " + admin)) {
            Properties env = new Properties();
            try (Reader in = Files.newBufferedReader(Stack.ROOT.resolve(stack.stackDir()).resolve("stack.env"))) {
                env.load(in);
            }
            List<String> targets = Arrays.stream(env.getProperty("ADMIN_PORTS", "").split(",")).filter(p -> !p.isBlank())
                    .map(port -> "127.0.0.1:" + port.trim()).toList();
            assertEquals(stack.env.containers(), targets.size(), "ADMIN_PORTS of stack.env: " + env);
            try (PrometheusServer prometheus = PrometheusServer.start("prometheus-stack", 43300, 43400, targets)) {
                Await.slowly("every container's admin listener is an up target", DEADLINE,
                             () -> allUp(prometheus, targets.size()), () -> targetsOrError(prometheus));
                double before = value(prometheus, "sum(revenant_worker_restarts_total)");
                Http.Response killed = Http.post(URI.create(stack.env.app(1) + "chaos/kill"));
                assertEquals(202, killed.status(), killed.body());
                Await.slowly("revenant_worker_restarts_total of the stack rose above " + before, DEADLINE,
                             () -> value(prometheus, "sum(revenant_worker_restarts_total)") >= before + 1,
                             () -> "query says " + value(prometheus, "revenant_worker_restarts_total"));
                System.out.println("prometheus (stack): restarts before=" + before + " after="
                                   + value(prometheus, "sum(revenant_worker_restarts_total)") + " targets=" + targets);
                assertTrue(allUp(prometheus, targets.size()), "a target went down: " + targetsOrError(prometheus));
            }
        }
    }

    /** A port of {@code [from, to)} whose next two are free too (2 containers publish base + 1, base + 2). */
    private static int freeBase(int from, int to) throws IOException {
        for (int base = from; base + 2 < to; base++) {
            if (PrometheusServer.free(base) && PrometheusServer.free(base + 1) && PrometheusServer.free(base + 2)) {
                return base;
            }
        }
        throw new IOException("no three free ports in " + from + "-" + (to - 1));
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
