package io.revenant.protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.revenant.config.ChaosConfig;
import io.revenant.config.ServerConfig;

/**
 * Everything a worker JVM needs, decided by the supervisor and handed over in environment
 * variables at spawn. The worker never reads application.yaml itself, so a file edited between
 * two spawns cannot give two workers of one generation different settings.
 *
 * @param instance      supervisor instance id
 * @param worker        worker id
 * @param slot          slot number
 * @param version       application version
 * @param supervisorPid the parent the worker must not outlive
 * @param server        public listener and its connection limits (the backlog stays the supervisor's)
 * @param chaos         kill endpoint settings
 * @param stopGrace     how long in-flight requests may take after a stop request
 * @param maxRequests   requests after which the worker asks to be recycled; 0 = never
 * @param notifySocket  Unix socket for READY and other notifications; empty when run standalone
 * @param spare         start warm but unbound, and bind only when the supervisor says {@code BIND SLOT=n}
 * @param socketLender  Unix socket that hands the worker the public listening socket (SCM_RIGHTS)
 * @param socketInode   inode of that listening socket, so the worker can prove it accepts on it
 */
public record WorkerSettings(String instance,
                             long worker,
                             int slot,
                             String version,
                             long supervisorPid,
                             ServerConfig server,
                             ChaosConfig chaos,
                             Duration stopGrace,
                             long maxRequests,
                             Optional<String> notifySocket,
                             boolean spare,
                             Optional<String> socketLender,
                             long socketInode) {

    /**
     * The worker JVM's entry point, by name: the supervisor starts it without compiling against
     * the worker package (WorkerSettingsTest checks the name against the class).
     */
    public static final String MAIN_CLASS = "io.revenant.worker.WorkerMain";

    private static final String PREFIX = "REVENANT_";

    /** The variables to add to the worker's environment. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put(PREFIX + "INSTANCE", instance);
        env.put(PREFIX + "WORKER", Long.toString(worker));
        env.put(PREFIX + "SLOT", Integer.toString(slot));
        env.put(PREFIX + "VERSION", version);
        env.put(PREFIX + "SUPERVISOR_PID", Long.toString(supervisorPid));
        env.put(PREFIX + "HOST", server.host());
        env.put(PREFIX + "PORT", Integer.toString(server.port()));
        env.put(PREFIX + "HEADER_TIMEOUT_MS", Long.toString(server.headerTimeout().toMillis()));
        env.put(PREFIX + "IDLE_TIMEOUT_MS", Long.toString(server.idleTimeout().toMillis()));
        env.put(PREFIX + "MAX_CONNECTIONS", Integer.toString(server.maxConnections()));
        env.put(PREFIX + "CHAOS_KILL", Boolean.toString(chaos.killEndpoint()));
        chaos.token().ifPresent(token -> env.put(PREFIX + "CHAOS_TOKEN", token));
        env.put(PREFIX + "STOP_GRACE_MS", Long.toString(stopGrace.toMillis()));
        env.put(PREFIX + "MAX_REQUESTS", Long.toString(maxRequests));
        notifySocket.ifPresent(path -> env.put(PREFIX + "NOTIFY_SOCKET", path));
        env.put(PREFIX + "SPARE", Boolean.toString(spare));
        socketLender.ifPresent(path -> env.put(PREFIX + "SOCKET_LENDER", path));
        env.put(PREFIX + "SOCKET_INODE", Long.toString(socketInode));
        return env;
    }

    /**
     * Reads the settings back in the worker.
     *
     * @throws IllegalArgumentException naming the first missing or malformed variable
     */
    public static WorkerSettings fromEnvironment(Map<String, String> env) {
        return new WorkerSettings(
                required(env, "INSTANCE"),
                Long.parseLong(required(env, "WORKER")),
                Integer.parseInt(required(env, "SLOT")),
                env.getOrDefault(PREFIX + "VERSION", "dev"),
                Long.parseLong(required(env, "SUPERVISOR_PID")),
                new ServerConfig(required(env, "HOST"), Integer.parseInt(required(env, "PORT")),
                                 ServerConfig.DEFAULT_BACKLOG,
                                 millis(env, "HEADER_TIMEOUT_MS", ServerConfig.DEFAULT_HEADER_TIMEOUT),
                                 millis(env, "IDLE_TIMEOUT_MS", ServerConfig.DEFAULT_IDLE_TIMEOUT),
                                 Integer.parseInt(env.getOrDefault(PREFIX + "MAX_CONNECTIONS",
                                                                   Integer.toString(ServerConfig.DEFAULT_MAX_CONNECTIONS)))),
                new ChaosConfig(Boolean.parseBoolean(env.get(PREFIX + "CHAOS_KILL")),
                                Optional.ofNullable(env.get(PREFIX + "CHAOS_TOKEN"))),
                Duration.ofMillis(Long.parseLong(env.getOrDefault(PREFIX + "STOP_GRACE_MS", "10000"))),
                Long.parseLong(env.getOrDefault(PREFIX + "MAX_REQUESTS", "0")),
                Optional.ofNullable(env.get(PREFIX + "NOTIFY_SOCKET")),
                Boolean.parseBoolean(env.get(PREFIX + "SPARE")),
                Optional.ofNullable(env.get(PREFIX + "SOCKET_LENDER")),
                Long.parseLong(env.getOrDefault(PREFIX + "SOCKET_INODE", "0")));
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(PREFIX + name);
        return value == null ? fallback : Duration.ofMillis(Long.parseLong(value));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(PREFIX + name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(PREFIX + name + " is not set; workers are started by the supervisor");
        }
        return value;
    }
}
