package io.revenant.soak;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

import io.revenant.protocol.JsonText;
import io.revenant.testing.Http;

/**
 * The supervisor's admin {@code GET /status}, read with main code's {@link JsonText}: only the
 * fields the soak needs.
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
        return JsonText.parse(body).filter(json -> json.get("workers") instanceof JsonNumber
                                                   && json.get("ready") instanceof JsonNumber
                                                   && json.get("restarts-by-cause") instanceof JsonObject)
                .map(AdminStatus::of);
    }

    private static AdminStatus of(JsonObject json) {
        Map<String, Long> byCause = new TreeMap<>();
        json.getJsonObject("restarts-by-cause").forEach((cause, count) -> byCause.put(cause, ((JsonNumber) count).longValue()));
        List<Slot> slots = json.get("slots") instanceof JsonArray array
                ? array.getValuesAs(JsonObject.class).stream().map(slot -> new Slot(slot.getInt("slot"), slot.getString("state"))).toList()
                : List.of();
        return new AdminStatus(json.getInt("workers"), json.getInt("ready"), byCause, slots);
    }

    /** {@code GET http://127.0.0.1:<admin>/status}; empty when it does not answer 200 within 5 s. */
    static Optional<AdminStatus> read(int adminPort) {
        try {
            Http.Response response = Http.request(adminPort, "GET", "/status", Http.ACCEPT_JSON, Duration.ofSeconds(5));
            return response.status() == 200 ? parse(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
