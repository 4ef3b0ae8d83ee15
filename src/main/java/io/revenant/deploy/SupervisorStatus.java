package io.revenant.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.revenant.protocol.JsonText;
import io.revenant.stack.ProbeCommand;

/**
 * What a container's supervisor says on its admin {@code GET /status}: the fields a rollout
 * waits on.
 *
 * @param instance   supervisor instance id (new for every container run)
 * @param version    {@code REVENANT_VERSION} of the image
 * @param workers    workers the pool should run
 * @param ready      workers that reported READY and are not stopping
 * @param stopping   the supervisor is shutting down
 * @param containers {@code supervisor.containers} its worker count was worked out with (the
 *                   {@code containers=} of {@code worker-count}), 0 when it does not say
 */
record SupervisorStatus(String instance, String version, int workers, int ready, boolean stopping, int containers) {

    private static final Pattern CONTAINERS = Pattern.compile("\\bcontainers=(\\d+)");

    SupervisorStatus(String instance, String version, int workers, int ready, boolean stopping) {
        this(instance, version, workers, ready, stopping, 0);
    }

    /**
     * The engine's arguments that ask the admin listener on {@code adminPort} inside the container:
     * the image's probe script, which prints the body of {@code GET /status}.
     */
    static List<String> command(String container, int adminPort) {
        List<String> command = new ArrayList<>(List.of("exec", container));
        command.addAll(ProbeCommand.of(ProbeCommand.Mode.STATUS, adminPort, "127.0.0.1"));
        return command;
    }

    /** Reads the JSON of {@code GET /status}; empty when it is something else (no answer yet, an error page). */
    static Optional<SupervisorStatus> parse(String json) {
        return JsonText.parse(json).flatMap(SupervisorStatus::of);
    }

    private static Optional<SupervisorStatus> of(JsonObject json) {
        if (!(json.get("instance") instanceof JsonString instance) || !(json.get("version") instanceof JsonString version)
            || !(json.get("workers") instanceof JsonNumber workers) || !(json.get("ready") instanceof JsonNumber ready)
            || !(json.get("stopping") instanceof JsonValue stopping)
            || (stopping != JsonValue.TRUE && stopping != JsonValue.FALSE)) {
            return Optional.empty();
        }
        int containers = 0;
        if (json.get("worker-count") instanceof JsonString count) {
            Matcher matcher = CONTAINERS.matcher(count.getString());
            containers = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
        }
        return Optional.of(new SupervisorStatus(instance.getString(), version.getString(), workers.intValue(),
                                                ready.intValue(), stopping == JsonValue.TRUE, containers));
    }

    /** Every worker of the pool is READY: what a rollout waits for before nginx sends it traffic. */
    boolean allReady() {
        return workers > 0 && ready >= workers && !stopping;
    }
}
