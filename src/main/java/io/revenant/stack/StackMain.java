package io.revenant.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.protocol.ToolExit;

/**
 * The deployment files of the container stack, rendered from {@code application.yaml} (validated
 * by the same {@link ConfigLoader} as the supervisor, so a bad file fails here with the same
 * messages and exit 78), and the readiness wait of {@code make up}.
 *
 * <pre>
 * render --config FILE --out DIR --image REF [--project revenant] [--nginx-image nginx:1.27]
 *        [--nginx-template nginx/revenant.conf.template] [--publish-host 127.0.0.1]
 *        [--publish-base server.port] [--nginx-port 3333] [--healthcheck true]
 *     writes DIR/compose.yaml, DIR/nginx/default.conf and DIR/stack.env
 * await --env DIR/stack.env [--timeout 120s]
 *     returns when nginx answers through every app container; exit 1 with the reason if not
 * </pre>
 */
public final class StackMain {

    /** Bad command line (sysexits EX_USAGE). */
    static final int USAGE = ToolExit.USAGE;
    /** Invalid application.yaml (sysexits EX_CONFIG), as the supervisor exits. */
    static final int CONFIG = ToolExit.CONFIG;
    /** The stack did not become ready in time. */
    static final int NOT_READY = 1;
    /** A file could not be read or written (sysexits EX_IOERR). */
    static final int IO_ERROR = ToolExit.IO_ERROR;

    private StackMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the exit code; {@link #main} exits with it. */
    public static int run(String[] args) {
        if (args.length == 0) {
            return usage("no command");
        }
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        return switch (args[0]) {
            case "render" -> render(options);
            case "await" -> await(options);
            default -> usage("unknown command " + args[0]);
        };
    }

    private static int render(Map<String, String> options) {
        Path configFile = Path.of(options.getOrDefault("config", ConfigLoader.DEFAULT_PATH));
        Path out = Path.of(options.getOrDefault("out", "target/stack"));
        Path template = Path.of(options.getOrDefault("nginx-template", "nginx/revenant.conf.template"));
        if (!options.containsKey("image")) {
            return usage("render needs --image");
        }
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println("revenant-stack: " + error);
            }
            System.err.println("revenant-stack: " + e.errors().size() + " configuration error(s); nothing rendered");
            return CONFIG;
        }
        StackSettings stack;
        try {
            stack = StackSettings.of(config, configFile, new StackSettings.HostOptions(
                    options.getOrDefault("project", "revenant"),
                    options.get("image"),
                    options.getOrDefault("nginx-image", "nginx:1.27"),
                    options.getOrDefault("publish-host", "127.0.0.1"),
                    Integer.parseInt(options.getOrDefault("publish-base", "-1")),
                    Integer.parseInt(options.getOrDefault("nginx-port", "3333")),
                    Boolean.parseBoolean(options.getOrDefault("healthcheck", "true"))));
        } catch (NumberFormatException e) {
            return usage("--publish-base and --nginx-port take a port number: " + e.getMessage());
        }
        int highest = stack.publishedPort(stack.containers());
        if (highest > 65535) {
            System.err.println("revenant-stack: " + configFile + ": supervisor.containers: " + stack.containers()
                    + " containers published from port " + stack.publishBase() + " need port " + highest
                    + ", above 65535");
            return CONFIG;
        }
        try {
            String nginx = NginxConf.render(stack, Files.readString(template, StandardCharsets.UTF_8));
            Path confD = out.toAbsolutePath().normalize().resolve("nginx");
            Files.createDirectories(confD);
            write(confD.resolve("default.conf"), nginx);
            write(out.resolve("compose.yaml"), ComposeFile.render(stack, configFile.toString(), confD));
            write(out.resolve("stack.env"), environment(stack, NginxConf.sticky(nginx)));
            System.out.println("revenant-stack: rendered " + out.resolve("compose.yaml") + " and "
                    + confD.resolve("default.conf") + " for " + stack.containers() + " app container(s) from "
                    + configFile);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("revenant-stack: " + template + ": " + e.getMessage());
            return CONFIG;
        } catch (IOException e) {
            System.err.println("revenant-stack: " + e);
            return IO_ERROR;
        }
    }

    private static int await(Map<String, String> options) {
        Path env = Path.of(options.getOrDefault("env", "target/stack/stack.env"));
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "120s").replaceAll("s$", "")));
        } catch (NumberFormatException e) {
            return usage("--timeout takes whole seconds, e.g. 120s");
        }
        StackEnv stack;
        try {
            stack = StackEnv.read(env);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("revenant-stack: " + env + ": " + e.getMessage() + " (run make up first)");
            return IO_ERROR;
        }
        StackReadiness.Result result = new StackReadiness(stack).await(timeout);
        System.out.println("revenant-stack: " + result.message());
        return result.ready() ? 0 : NOT_READY;
    }

    /** The facts make and the end-to-end tests need, as KEY=value lines a shell can source too. */
    static String environment(StackSettings stack, boolean sticky) {
        StringJoiner containers = new StringJoiner(",");
        StringJoiner ports = new StringJoiner(",");
        for (int i = 1; i <= stack.containers(); i++) {
            containers.add(stack.containerName(i));
            ports.add(Integer.toString(stack.publishedPort(i)));
        }
        return "# Generated by make up; read by make and the end-to-end tests.\n"
                + "PROJECT=" + stack.project() + "\n"
                + "IMAGE=" + stack.image() + "\n"
                + "CONTAINERS=" + stack.containers() + "\n"
                + "APP_CONTAINERS=" + containers + "\n"
                + "NGINX_CONTAINER=" + stack.nginxContainerName() + "\n"
                + "PUBLISH_HOST=" + stack.publishHost() + "\n"
                + "APP_PORTS=" + ports + "\n"
                + "NGINX_PORT=" + stack.nginxPort() + "\n"
                + "STOP_TIMEOUT=" + stack.stopGracePeriod().toSeconds() + "\n"
                + "STICKY=" + sticky + "\n";
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** {@code --key value} pairs after the command. */
    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i += 2) {
            String key = rest.get(i);
            if (!key.startsWith("--") || i + 1 >= rest.size()) {
                throw new IllegalArgumentException("expected --option value, got " + key);
            }
            options.put(key.substring(2), rest.get(i + 1));
        }
        return options;
    }

    private static int usage(String problem) {
        System.err.println("revenant-stack: " + problem);
        System.err.println("usage: StackMain render --config FILE --out DIR --image REF [--project NAME]"
                + " [--nginx-image REF] [--nginx-template FILE] [--publish-host ADDR] [--publish-base PORT]"
                + " [--nginx-port PORT] [--healthcheck true|false]");
        System.err.println("       StackMain await --env DIR/stack.env [--timeout 120s]");
        return USAGE;
    }
}
