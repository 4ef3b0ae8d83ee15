package io.revenant.stack;

import java.util.Optional;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import io.revenant.protocol.JsonText;

/**
 * Who answered a {@code GET /} or {@code POST /chaos/kill} with {@code Accept: application/json}:
 * the supervisor instance (one per container run) and the worker.
 *
 * @param instance supervisor instance id; a restarted container has a new one
 * @param worker   worker id within that instance; a restarted worker has a new one
 */
public record WorkerReply(String instance, long worker) {

    /** Reads the identity JSON of {@code WorkerIdentity.toJson()}; empty if the body is something else. */
    public static Optional<WorkerReply> parse(String body) {
        return JsonText.parse(body).flatMap(WorkerReply::parse);
    }

    /** As {@link #parse(String)}, of a body already parsed. */
    public static Optional<WorkerReply> parse(JsonObject json) {
        if (!(json.get("instance") instanceof JsonString instance) || instance.getString().isEmpty()
            || !(json.get("worker") instanceof JsonNumber worker) || !worker.isIntegral()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerReply(instance.getString(), worker.longValue()));
    }
}
