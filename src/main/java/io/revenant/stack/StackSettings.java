package io.revenant.stack;

import java.nio.file.Path;
import java.time.Duration;

import io.revenant.config.RevenantConfig;

/**
 * Everything the deployment files say, decided once: the values that come from the validated
 * {@code application.yaml} plus the few that belong to the host (image, ports on the host, project
 * name). The renderers only format these.
 *
 * @param project          compose project name; containers are {@code <project>-app<i>} and
 *                         {@code <project>-nginx}
 * @param image            app image reference, e.g. {@code revenant:0.1.0}
 * @param nginxImage       nginx image reference
 * @param containers       {@code supervisor.containers}: how many app containers
 * @param appPort          {@code server.port}: the port every worker of a container listens on
 * @param adminPort        {@code admin.port}: the supervisor's loopback admin listener in a container
 * @param adminEnabled     {@code admin.enabled}: without it there is nothing to health-check
 * @param publishHost      host address the ports are published on ({@code 127.0.0.1})
 * @param publishBase      container {@code i} is published on {@code publishBase + i}
 * @param nginxPort        host port of nginx
 * @param configDir        absolute host directory holding application.yaml, mounted read-only
 * @param watchdog         {@code supervisor.watchdog-sec}; zero when off
 * @param timeoutStop      {@code supervisor.timeout-stop-sec}: graceful stop time of the workers
 * @param healthcheck      whether compose declares the health check (off for Podman without
 *                         systemd, which runs health checks from systemd timers)
 */
public record StackSettings(String project,
                            String image,
                            String nginxImage,
                            int containers,
                            int appPort,
                            int adminPort,
                            boolean adminEnabled,
                            String publishHost,
                            int publishBase,
                            int nginxPort,
                            Path configDir,
                            Duration watchdog,
                            Duration timeoutStop,
                            boolean healthcheck) {

    /**
     * Most tries nginx makes for one request ({@code proxy_next_upstream_tries}). A worker's death
     * fails only the requests inside it (the container's socket and queue outlive it), so a
     * retry or two on another container is all a request needs.
     */
    public static final int MAX_UPSTREAM_TRIES = 3;

    /**
     * Server lines per container. nginx tries a line at most once per request, and a retry on
     * the same container is as good as on another (its socket outlives the dead worker), so two
     * lines let the third try happen with two containers. Measured under a kill every 100 ms
     * through nginx (2 containers, tries 2 with one line each): 25 and 28 requests of ~3,000 and
     * ~6,000 answered 502, each after both tries had met a dying worker.
     */
    public static final int LINES_PER_CONTAINER = 2;

    /** Where the image looks for its configuration; the host's config directory is mounted here. */
    public static final String CONFIG_MOUNT = "/app/config";

    /** nginx keeps this long for one try when the watchdog is off. */
    static final Duration READ_TIMEOUT_WITHOUT_WATCHDOG = Duration.ofSeconds(60);

    /** A connect to a live container on the same host takes microseconds; one second is generous. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Host-side choices that are not in application.yaml. */
    public record HostOptions(String project, String image, String nginxImage, String publishHost,
                              int publishBase, int nginxPort, boolean healthcheck) {
    }

    /**
     * Combines a validated config with the host options.
     *
     * @param publishBase the host port base, or a negative number for {@code server.port}
     */
    public static StackSettings of(RevenantConfig config, Path configFile, HostOptions host) {
        int base = host.publishBase() < 0 ? config.server().port() : host.publishBase();
        return new StackSettings(host.project(), host.image(), host.nginxImage(),
                config.supervisor().containers(), config.server().port(), config.admin().port(),
                config.admin().enabled() && config.admin().port() != 0,
                host.publishHost(), base, host.nginxPort(),
                configFile.toAbsolutePath().normalize().getParent(),
                config.supervisor().watchdog(), config.supervisor().timeoutStop(), host.healthcheck());
    }

    /** The same stack running {@code image}: what a deploy renders once its rollout is done. */
    public StackSettings withImage(String image) {
        return new StackSettings(project, image, nginxImage, containers, appPort, adminPort, adminEnabled, publishHost,
                publishBase, nginxPort, configDir, watchdog, timeoutStop, healthcheck);
    }

    /**
     * The same stack with {@code containers} slots: what runs at each step of scaling in place,
     * and what the stack ran before the count in the config changed.
     */
    public StackSettings withContainers(int containers) {
        return new StackSettings(project, image, nginxImage, containers, appPort, adminPort, adminEnabled, publishHost,
                publishBase, nginxPort, configDir, watchdog, timeoutStop, healthcheck);
    }

    /** Service name of app container {@code i} (1-based), also its DNS name on the stack's network. */
    public String service(int i) {
        return "app" + i;
    }

    /** Container name of app container {@code i}. */
    public String containerName(int i) {
        return project + "-" + service(i);
    }

    /**
     * Container name of slot {@code i}'s holder: it owns the slot's network namespace (address,
     * published ports, the name nginx resolves) and outlives the app containers that join it, so a
     * deploy hands the listening socket from one app container to the next inside it.
     */
    public String holderName(int i) {
        return containerName(i) + "-net";
    }

    public String nginxContainerName() {
        return project + "-nginx";
    }

    /** Host port of app container {@code i}. */
    public int publishedPort(int i) {
        return publishBase + i;
    }

    /**
     * Host port of app container {@code i}'s admin listener (the dashboard), always on the host's
     * loopback: {@code admin.port + i}, i.e. 9001, 9002, …
     */
    public int adminPublishedPort(int i) {
        return adminPort + i;
    }

    /**
     * How long nginx waits for an answer on one try: longer than the supervisor needs to notice a
     * hung worker (missed probes for {@code watchdog}, then up to {@code watchdog} for a thread
     * dump) and kill it, which resets the connection and lets nginx retry at once.
     */
    public Duration readTimeout() {
        return watchdog.isZero() ? READ_TIMEOUT_WITHOUT_WATCHDOG : watchdog.multipliedBy(2).plusSeconds(1);
    }

    public Duration connectTimeout() {
        return CONNECT_TIMEOUT;
    }

    /** Bound of all tries of one request together. */
    public Duration nextUpstreamTimeout() {
        return readTimeout().plus(connectTimeout().multipliedBy(2));
    }

    /**
     * {@code proxy_next_upstream_tries} for an upstream of {@code servers} containers
     * ({@value #LINES_PER_CONTAINER} lines each): at most {@value #MAX_UPSTREAM_TRIES}, and never more than the lines, since nginx
     * tries each line at most once per request. Never 0, which nginx reads as "no limit". A failed
     * try on a kept-alive connection does not use one up (nginx gives it back); all of them
     * together stay bounded by {@link #nextUpstreamTimeout()}.
     */
    public static int nextUpstreamTries(int servers) {
        return Math.max(1, Math.min(MAX_UPSTREAM_TRIES, servers * LINES_PER_CONTAINER));
    }

    /** Compose's stop_grace_period: the workers' own graceful stop plus time for the JVMs to exit. */
    public Duration stopGracePeriod() {
        return timeoutStop.plusSeconds(5);
    }
}
