package io.revenant.config;

/**
 * The whole, validated content of {@code application.yaml}. Immutable: a reload builds a new one.
 *
 * @param source     the file it was read from, as the user named it (for messages)
 * @param server     public listener
 * @param supervisor worker count and restart behaviour
 * @param admin      the supervisor's admin listener
 * @param chaos      the kill endpoint
 * @param worker     worker JVM options and recycling
 */
public record RevenantConfig(String source,
                             ServerConfig server,
                             SupervisorConfig supervisor,
                             AdminConfig admin,
                             ChaosConfig chaos,
                             WorkerConfig worker) {

    /** This config with another {@code server.*}: a reload keeps the socket the supervisor opened. */
    public RevenantConfig withServer(ServerConfig kept) {
        return new RevenantConfig(source, kept, supervisor, admin, chaos, worker);
    }
}
