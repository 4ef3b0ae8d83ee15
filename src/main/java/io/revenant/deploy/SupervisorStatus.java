package io.revenant.deploy;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The admin listener answers one HTTP request inside the container, with bash's
     * {@code /dev/tcp} (the image has no curl). It reads the headers up to Content-Length and then
     * exactly that many bytes, since the listener keeps the connection open after its answer.
     */
    static final String STATUS_SCRIPT = """
            exec 3<>/dev/tcp/127.0.0.1/%d || exit 7
            printf 'GET /status HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3
            len=0
            while IFS= read -r -t 3 line <&3; do
              line=${line%%$'\\r'}
              [ -z "$line" ] && break
              case "${line,,}" in content-length:*) len=${line#*:}; len=${len// /} ;; esac
            done
            timeout 3 head -c "$len" <&3
            """;

    private static final Pattern INSTANCE = Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern WORKERS = Pattern.compile("\"workers\"\\s*:\\s*(\\d+)");
    private static final Pattern READY = Pattern.compile("\"ready\"\\s*:\\s*(\\d+)");
    private static final Pattern STOPPING = Pattern.compile("\"stopping\"\\s*:\\s*(true|false)");

    /** The script for an admin listener on {@code port}. */
    static String script(int port) {
        return STATUS_SCRIPT.formatted(port);
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
