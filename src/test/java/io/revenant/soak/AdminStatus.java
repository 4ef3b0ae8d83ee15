package io.revenant.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supervisor's admin {@code GET /status}, read with the tests' regexes (as
 * {@code bench.DirectRun} does) rather than a JSON library: only the fields the soak needs.
 *
 * @param workers          the pool's target worker count
 * @param ready            READY workers that are not stopping
 * @param restartsByCause  restarts since start, by exit cause ({@code chaos-kill}, {@code watchdog}, …)
 * @param states           the state of each slot, in order; slot 0 entries are the hot spares
 *                         ({@code spare}, {@code spare-starting})
 */
record AdminStatus(int workers, int ready, Map<String, Long> restartsByCause, List<Slot> states) {

    /** One slot entry of the status. */
    record Slot(int slot, String state) {
    }

    private static final Pattern WORKERS = Pattern.compile("\"workers\":(\\d+),\"ready\":(\\d+)");
    private static final Pattern RESTARTS = Pattern.compile("\"restarts-by-cause\":\\{([^}]*)}");
    private static final Pattern COUNT = Pattern.compile("\"([^\"]+)\":(\\d+)");
    private static final Pattern SLOT = Pattern.compile("\\{\"slot\":(\\d+),[^}]*?\"state\":\"([^\"]+)\"");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** Restarts of every cause. */
    long restarts() {
        return restartsByCause.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Restarts after a chaos kill. */
    long chaosRestarts() {
        return restartsByCause.getOrDefault("chaos-kill", 0L);
    }

    /** Hot spares that are warm. */
    long warmSpares() {
        return states.stream().filter(s -> s.slot() == 0 && s.state().equals("spare")).count();
    }

    /** Parses a /status body; empty when it is not one. */
    static Optional<AdminStatus> parse(String body) {
        Matcher workers = WORKERS.matcher(body);
        Matcher restarts = RESTARTS.matcher(body);
        if (!workers.find() || !restarts.find()) {
            return Optional.empty();
        }
        Map<String, Long> byCause = new TreeMap<>();
        Matcher count = COUNT.matcher(restarts.group(1));
        while (count.find()) {
            byCause.put(count.group(1), Long.parseLong(count.group(2)));
        }
        List<Slot> slots = new ArrayList<>();
        Matcher slot = SLOT.matcher(body);
        while (slot.find()) {
            slots.add(new Slot(Integer.parseInt(slot.group(1)), slot.group(2)));
        }
        return Optional.of(new AdminStatus(Integer.parseInt(workers.group(1)), Integer.parseInt(workers.group(2)),
                                           byCause, List.copyOf(slots)));
    }

    /** {@code GET http://127.0.0.1:<admin>/status}; empty when it does not answer 200 within 5 s. */
    static Optional<AdminStatus> read(int adminPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/status"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? parse(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
