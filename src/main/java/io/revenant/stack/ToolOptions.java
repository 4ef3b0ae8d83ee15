package io.revenant.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

import io.revenant.config.ConfigLoader;

/**
 * The command line of the tools ({@code StackMain}, {@code K8sMain}, {@code DeployMain}):
 * {@code --key value} pairs after a command, and every default they share, spelled once here.
 * make passes only what it decides itself (engine, image, project, ports it was given), so a
 * default changes in this file alone.
 */
public final class ToolOptions {

    /** Where the stack's files are rendered, and where make deploy finds them. */
    public static final String STACK_DIR = "target/stack";
    public static final String NGINX_TEMPLATE = "nginx/revenant.conf.template";
    /** Compose project; also the prefix of the containers' names. */
    public static final String PROJECT = "revenant";
    public static final String NGINX_IMAGE = "nginx:1.27";
    public static final String PUBLISH_HOST = "127.0.0.1";
    /** Negative: app container {@code i} is published on {@code server.port + i}. */
    public static final int PUBLISH_BASE = -1;
    public static final int NGINX_PORT = 3333;
    /** How long {@code make up} waits for nginx to answer through every app container. */
    public static final String AWAIT_TIMEOUT = "120s";
    /** Image repository of make deploy's {@code :previous} tag. */
    public static final String IMAGE_NAME = "revenant";
    public static final String ENGINE = "podman";
    /** How long one new container of a deploy may take until all its workers are READY. */
    public static final String DEPLOY_TIMEOUT = "60s";

    private final Map<String, String> values;

    private ToolOptions(Map<String, String> values) {
        this.values = values;
    }

    /** One command of a tool, given its name and options; returns the exit code. */
    @FunctionalInterface
    public interface Command {
        int run(String name, ToolOptions options);
    }

    /**
     * Runs the command {@code args[0]}, one of {@code commands}, with the options after it. A
     * missing or unknown command and a malformed option go to {@code usage}, which prints the
     * problem and the tool's usage and returns its exit code.
     */
    public static int dispatch(String[] args, List<String> commands, Command command, ToIntFunction<String> usage) {
        if (args.length == 0) {
            return usage.applyAsInt("no command");
        }
        if (!commands.contains(args[0])) {
            return usage.applyAsInt("unknown command " + args[0]);
        }
        ToolOptions options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            return usage.applyAsInt(e.getMessage());
        }
        return command.run(args[0], options);
    }

    /**
     * The {@code --key value} pairs after the command {@code args[0]}.
     *
     * @throws IllegalArgumentException naming the first argument that is not such a pair
     */
    public static ToolOptions parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
        for (int i = 0; i < rest.size(); i += 2) {
            String key = rest.get(i);
            if (!key.startsWith("--") || i + 1 >= rest.size()) {
                throw new IllegalArgumentException("expected --option value, got " + key);
            }
            values.put(key.substring(2), rest.get(i + 1));
        }
        return new ToolOptions(values);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key, String otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    public Path config() {
        return Path.of(get("config", ConfigLoader.DEFAULT_PATH));
    }

    public Path nginxTemplate() {
        return Path.of(get("nginx-template", NGINX_TEMPLATE));
    }

    public Path stackDir(String key) {
        return Path.of(get(key, STACK_DIR));
    }

    /**
     * Whole seconds, written {@code 60s} or {@code 60}.
     *
     * @throws IllegalArgumentException naming the option and what it takes
     */
    public Duration seconds(String key, String otherwise) {
        String value = get(key, otherwise);
        try {
            return Duration.ofSeconds(Long.parseLong(value.replaceAll("s$", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " takes whole seconds, e.g. " + otherwise + "; got " + value);
        }
    }

    /**
     * The stack's host options, as {@code make up} rendered them, for {@code image}.
     *
     * @throws IllegalArgumentException when a port option is not a number
     */
    public StackSettings.HostOptions hostOptions(String image) {
        return new StackSettings.HostOptions(get("project", PROJECT), image, get("nginx-image", NGINX_IMAGE),
                get("publish-host", PUBLISH_HOST), port("publish-base", PUBLISH_BASE), port("nginx-port", NGINX_PORT),
                Boolean.parseBoolean(get("healthcheck", "true")));
    }

    private int port(String key, int otherwise) {
        String value = get(key, Integer.toString(otherwise));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " takes a port number; got " + value);
        }
    }
}
