package io.revenant.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.stack.ProbeCommand;

/**
 * What a container's supervisor says on its admin {@code GET /status}: the fields a rollout
 * waits on.
 *
 * @param instance supervisor instance id (new for every container run)
 * @param version  {@code REVENANT_VERSION} of the image
 * @param workers  workers the pool should run
 * @param ready    workers that reported READY and are not stopping
 * @param stopping the supervisor is shutting down
 */
record SupervisorStatus(String instance, String version, int workers, int ready, boolean stopping) {

    private static final Pattern INSTANCE = Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern WORKERS = Pattern.compile("\"workers\"\\s*:\\s*(\\d+)");
    private static final Pattern READY = Pattern.compile("\"ready\"\\s*:\\s*(\\d+)");
    private static final Pattern STOPPING = Pattern.compile("\"stopping\"\\s*:\\s*(true|false)");

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
        Matcher instance = INSTANCE.matcher(json);
        Matcher version = VERSION.matcher(json);
        Matcher workers = WORKERS.matcher(json);
        Matcher ready = READY.matcher(json);
        Matcher stopping = STOPPING.matcher(json);
        if (!instance.find() || !version.find() || !workers.find() || !ready.find() || !stopping.find()) {
            return Optional.empty();
        }
        return Optional.of(new SupervisorStatus(instance.group(1), version.group(1), Integer.parseInt(workers.group(1)),
                                                Integer.parseInt(ready.group(1)), Boolean.parseBoolean(stopping.group(1))));
    }

    /** Every worker of the pool is READY: what a rollout waits for before nginx sends it traffic. */
    boolean allReady() {
        return workers > 0 && ready >= workers && !stopping;
    }
}
