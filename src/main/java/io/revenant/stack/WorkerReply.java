package io.revenant.stack;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who answered a {@code GET /} or {@code POST /chaos/kill} with {@code Accept: application/json}:
 * the supervisor instance (one per container run) and the worker.
 *
 * @param instance supervisor instance id; a restarted container has a new one
 * @param worker   worker id within that instance; a restarted worker has a new one
 */
public record WorkerReply(String instance, long worker) {

    private static final Pattern INSTANCE = Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern WORKER = Pattern.compile("\"worker\"\\s*:\\s*(\\d+)");

    /** Reads the identity JSON of {@code WorkerIdentity.toJson()}; empty if the body is something else. */
    public static Optional<WorkerReply> parse(String body) {
        Matcher instance = INSTANCE.matcher(body);
        Matcher worker = WORKER.matcher(body);
        if (!instance.find() || !worker.find()) {
            return Optional.empty();
        }
        return Optional.of(new WorkerReply(instance.group(1), Long.parseLong(worker.group(1))));
    }
}
