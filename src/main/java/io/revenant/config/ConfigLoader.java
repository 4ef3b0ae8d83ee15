package io.revenant.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

/**
 * The one place that turns {@code application.yaml} into a {@link RevenantConfig}. Every key is
 * read, typed and range-checked here; anything wrong is collected and thrown together, so no
 * other class ever sees an invalid value.
 */
public final class ConfigLoader {

    /** Where {@code make run} and the container look when no path is given. */
    public static final String DEFAULT_PATH = "config/application.yaml";

    /** Largest config file accepted (1 MiB): bigger is refused, never read whole. */
    public static final int MAX_BYTES = ConfigText.MAX_BYTES;

    private static final Duration MAX_DURATION = Duration.ofHours(1);

    private ConfigLoader() {
    }

    /**
     * Reads and validates a file.
     *
     * @param path the file, named as the user named it (messages repeat it)
     * @return the validated configuration
     * @throws ConfigException with every problem found
     */
    public static RevenantConfig load(Path path) throws ConfigException {
        String source = path.toString();
        return parse(readFile(path, source), source, true);
    }

    /**
     * As {@link #load}, for a reload: a file without a single setting (empty, blank, comments
     * only) is refused rather than applied as "every default", since that is what a file
     * caught in the middle of a non-atomic write looks like.
     */
    public static RevenantConfig loadForReload(Path path) throws ConfigException {
        String source = path.toString();
        return parse(readFile(path, source), source, false);
    }

    /**
     * Reads and validates YAML text (a file the caller has rendered, e.g. a pod's copy).
     *
     * @param source names the text in messages
     * @throws ConfigException with every problem found
     */
    public static RevenantConfig loadYaml(String yaml, String source) throws ConfigException {
        ConfigText.checkSize(yaml, source);
        return parse(yaml, source, true);
    }

    private static String readFile(Path path, String source) throws ConfigException {
        if (!Files.exists(path)) {
            throw new ConfigException(List.of(new ConfigError(source, "",
                    "no such file; pass the path of an application.yaml (make run CONFIG=path/to/file.yaml)")));
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(List.of(new ConfigError(source, "", "not a regular file")));
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException(List.of(new ConfigError(source, "", "file is not readable")));
        }
        return ConfigText.read(path, source);
    }

    /** Only the one source: no environment, system properties, ${} resolving or caching. */
    private static RevenantConfig parse(String text, String source, boolean emptyIsDefaults) throws ConfigException {
        boolean hasSettings = ConfigText.check(text, source);
        if (!hasSettings && !emptyIsDefaults) {
            throw new ConfigException(List.of(new ConfigError(source, "", "line 1, column 1: the file holds no setting"
                    + " (empty, or comments only); a reload needs the whole file (write it to a temporary file,"
                    + " then rename it over this one)")));
        }
        ConfigSource yaml = ConfigSources.create(text, MediaTypes.APPLICATION_YAML);
        Config root;
        try {
            root = Config.builder(() -> yaml)
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .disableValueResolving()
                    .disableKeyResolving()
                    .disableCaching()
                    .build();
            // the source is parsed lazily; touch it so a YAML syntax error surfaces here
            root.traverse().count();
        } catch (RuntimeException | StackOverflowError e) {
            throw new ConfigException(List.of(new ConfigError(source, "", ConfigText.describe(e))));
        }
        return read(root, source);
    }

    /** Validates an already parsed tree; {@code source} names it in messages. */
    public static RevenantConfig read(Config root, String source) throws ConfigException {
        ConfigReader in = new ConfigReader(root, source);

        ServerConfig server = new ServerConfig(
                in.string("server.host", "0.0.0.0"),
                in.integer("server.port", 3000, 1, 65535),
                in.integer("server.backlog", ServerConfig.DEFAULT_BACKLOG, 1, 65535),
                in.duration("server.header-timeout", ServerConfig.DEFAULT_HEADER_TIMEOUT, Duration.ofMillis(100), MAX_DURATION),
                in.duration("server.idle-timeout", ServerConfig.DEFAULT_IDLE_TIMEOUT, Duration.ofMillis(100), MAX_DURATION),
                in.integer("server.max-connections", ServerConfig.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000));

        SupervisorConfig supervisor = new SupervisorConfig(
                in.integer("supervisor.containers", 2, 1, 1024),
                in.autoOrInteger("supervisor.workers", 1, 1024),
                in.integer("supervisor.reserve-cpus", 0, 0, 1024),
                in.oneOf("supervisor.restart", RestartSetting.ALWAYS, List.of(RestartSetting.values()), RestartSetting::yaml),
                in.duration("supervisor.restart-sec", Duration.ofMillis(100), Duration.ZERO, MAX_DURATION),
                in.integer("supervisor.restart-steps", 5, 0, 100),
                in.duration("supervisor.restart-max-delay-sec", Duration.ofSeconds(5), Duration.ZERO, MAX_DURATION),
                in.duration("supervisor.restart-reset-sec", Duration.ofSeconds(10), Duration.ofMillis(100), MAX_DURATION),
                in.integer("supervisor.start-limit-burst", 10, 1, 100_000),
                in.duration("supervisor.start-limit-interval-sec", Duration.ofSeconds(120), Duration.ZERO, MAX_DURATION),
                in.duration("supervisor.timeout-start-sec", Duration.ofSeconds(30), Duration.ofMillis(100), MAX_DURATION),
                in.duration("supervisor.timeout-stop-sec", Duration.ofSeconds(10), Duration.ZERO, MAX_DURATION),
                in.duration("supervisor.watchdog-sec", Duration.ofSeconds(5), Duration.ZERO, MAX_DURATION),
                in.integer("supervisor.min-ready", 1, 0, 1024),
                in.integer("supervisor.spare", 0, 0, 64));

        AdminConfig admin = new AdminConfig(
                in.bool("admin.enabled", true),
                in.string("admin.host", "127.0.0.1"),
                in.integer("admin.port", 9000, 0, 65535));

        boolean kill = in.bool("chaos.kill-endpoint", false);
        Optional<String> token = in.token("chaos.token");
        ChaosConfig chaos = new ChaosConfig(kill, token);

        WorkerConfig worker = new WorkerConfig(
                in.stringList("worker.jvm-options"),
                in.number("worker.max-requests", 0, 0, Long.MAX_VALUE),
                in.number("worker.max-requests-jitter", 0, 0, Long.MAX_VALUE),
                in.number("worker.max-memory-mib", 0, 0, 1 << 20),
                in.autoOrMebibytes("worker.heap", 8, 1 << 20));

        if (supervisor.restartMaxDelay().compareTo(supervisor.restartSec()) < 0) {
            in.error("supervisor.restart-max-delay-sec", "must not be less than supervisor.restart-sec ("
                    + ConfigReader.describe(supervisor.restartSec()) + "); got "
                    + ConfigReader.describe(supervisor.restartMaxDelay()));
        }
        OptionalInt workers = supervisor.workers();
        if (workers.isPresent() && supervisor.minReady() > workers.getAsInt()) {
            in.error("supervisor.min-ready", "must not exceed supervisor.workers (" + workers.getAsInt()
                    + "); got " + supervisor.minReady());
        }
        HostSyntax.problem(server.host()).ifPresent(problem -> in.error("server.host", problem));
        HostSyntax.problem(admin.host()).ifPresent(problem -> in.error("admin.host", problem));
        if (admin.enabled() && admin.port() != 0 && admin.port() == server.port()) {
            in.error("admin.port", "must differ from server.port (" + server.port() + ")");
        }
        in.rejectUnknownKeys();
        if (!in.errors().isEmpty()) {
            throw new ConfigException(in.errors());
        }
        return new RevenantConfig(source, server, supervisor, admin, chaos, worker);
    }
}
