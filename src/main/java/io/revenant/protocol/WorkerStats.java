package io.revenant.protocol;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * A worker's request counters, as its loopback admin listener answers {@code GET /stats} and the
 * supervisor's {@code /status} reads them: both sides spell the keys here.
 *
 * @param served   requests the public listener has taken since the worker started serving
 * @param inFlight requests it is answering now
 */
public record WorkerStats(long served, long inFlight) {

    public JsonObject toJson() {
        return JsonText.object().add("served", served).add("in-flight", inFlight).build();
    }

    /** The counters of the worker whose admin listener is on loopback {@code adminPort}; empty if it does not answer them. */
    public static Optional<WorkerStats> ask(int adminPort, Duration timeout) {
        try {
            OneShotHttp.Response response = OneShotHttp.get(URI.create("http://127.0.0.1:" + adminPort + "/stats"),
                                                            Map.of(), timeout);
            return response.status() == 200 ? JsonText.parse(response.body()).flatMap(WorkerStats::of) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<WorkerStats> of(JsonObject json) {
        if (json.get("served") instanceof JsonNumber served && json.get("in-flight") instanceof JsonNumber inFlight) {
            return Optional.of(new WorkerStats(served.longValue(), inFlight.longValue()));
        }
        return Optional.empty();
    }
}
