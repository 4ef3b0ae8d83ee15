package io.revenant.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.revenant.testing.Await;
import io.revenant.testing.Http;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus server (Debian's {@code prometheus} package), on its own port, config and
 * storage under {@code target/e2e/<name>/}, scraping the given admin listeners every second.
 * Read through its HTTP API. {@link #close()} stops it.
 */
final class PrometheusServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    final Path log;
    private final Process process;

    private PrometheusServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it on a free port of {@code [from, to)} with one scrape job over {@code targets} ({@code host:port}). */
    static PrometheusServer start(String name, int from, int to, List<String> targets) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            fail("the Prometheus test needs " + BINARY + " (Debian: apt-get install prometheus; .ci/run installs it)");
        }
        Path dir = Stack.ROOT.resolve("target/e2e/" + name);
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: revenant
                    static_configs:
                      - targets: [%s]
                """.formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
        Files.createDirectories(Stack.LOGS);
        Path log = Stack.LOGS.resolve(name + "-prometheus.log");
        for (int port = from; port < to; port++) {
            if (!free(port)) {
                continue;
            }
            Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port,
                    "--storage.tsdb.retention.time=1h")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(process, port, log);
            if (server.ready()) {
                return server;
            }
            server.close();
        }
        throw new IOException("Prometheus found no free port in " + from + "-" + (to - 1) + "; see " + log);
    }

    /** Nothing listens on 127.0.0.1:{@code port} now (it may be taken a moment later: callers retry). */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for its ready line; false when it lost its port to someone else meanwhile. */
    private boolean ready() {
        return Await.until(() -> "Prometheus is ready (" + log + ")", Duration.ofSeconds(60), () -> {
            String text = text();
            if (text.contains("Server is ready to receive web requests")) {
                return Optional.of(true);
            }
            if (text.contains("address already in use")) {
                return Optional.of(false);
            }
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited " + process.exitValue() + ":\n" + text);
            }
            return Optional.empty();
        });
    }

    String text() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** {@code GET /api/v1/targets}: the active targets. */
    JsonNode activeTargets() throws IOException {
        return api("/api/v1/targets?state=active").path("activeTargets");
    }

    /** An instant query's result vector. */
    JsonNode query(String promql) throws IOException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    /** A query's one scalar-like value: the first sample of the vector, empty when the vector is empty. */
    Optional<Double> value(String promql) throws IOException {
        JsonNode result = query(promql);
        return result.isEmpty() ? Optional.empty() : Optional.of(result.get(0).path("value").get(1).asDouble());
    }

    private JsonNode api(String path) throws IOException {
        Http.Response response = Http.get(port, path);
        JsonNode body = JSON.readTree(response.body());
        if (response.status() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus " + path + ": " + response.status() + " " + response.body());
        }
        return body.path("data");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
