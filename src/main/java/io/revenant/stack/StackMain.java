package io.revenant.stack;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

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
 * dashboard --config FILE [--env DIR/stack.env]
 *     prints the dashboard URLs: make run's, and each container's when a stack was rendered
 * </pre>
 */
public final class StackMain {

    /** Bad command line (sysexits EX_USAGE). */
    public static final int USAGE = ToolExit.USAGE;
    /** Invalid application.yaml (sysexits EX_CONFIG), as the supervisor exits. */
    public static final int CONFIG = ToolExit.CONFIG;
    /** The stack did not become ready in time. */
    static final int NOT_READY = ToolExit.FAILED;
    /** A file could not be read or written (sysexits EX_IOERR). */
    public static final int IO_ERROR = ToolExit.IO_ERROR;

    private StackMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns the exit code; {@link #main} exits with it. */
    public static int run(String[] args) {
        return ToolOptions.dispatch(args, List.of("render", "await", "dashboard"),
                (command, options) -> switch (command) {
                    case "render" -> render(options);
                    case "dashboard" -> dashboard(options);
                    default -> await(options);
                }, StackMain::usage);
    }

    private static int render(ToolOptions options) {
        Path configFile = options.config();
        Path out = options.stackDir("out");
        Path template = options.nginxTemplate();
        if (!options.has("image")) {
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
            stack = StackSettings.of(config, configFile, options.hostOptions(options.get("image", "")));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        int highest = stack.publishedPort(stack.containers());
        if (highest > 65535) {
            System.err.println("revenant-stack: " + configFile + ": supervisor.containers: " + stack.containers()
                    + " containers published from port " + stack.publishBase() + " need port " + highest
                    + ", above 65535");
            return CONFIG;
        }
        try {
            StackFiles.write(stack, configFile.toString(), template, out);
            System.out.println("revenant-stack: rendered " + out.resolve("compose.yaml") + " and "
                    + StackFiles.nginxConfD(out).resolve("default.conf") + " for " + stack.containers()
                    + " app container(s) from " + configFile);
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("revenant-stack: " + template + ": " + e.getMessage());
            return CONFIG;
        } catch (IOException e) {
            System.err.println("revenant-stack: " + e);
            return IO_ERROR;
        }
    }

    private static int dashboard(ToolOptions options) {
        Path configFile = options.config();
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            e.errors().forEach(error -> System.err.println("revenant-stack: " + error));
            return CONFIG;
        }
        Path env = Path.of(options.get("env", ToolOptions.STACK_DIR + "/stack.env"));
        Properties values = null;
        if (Files.exists(env)) {
            values = new Properties();
            try (Reader in = Files.newBufferedReader(env)) {
                values.load(in);
            } catch (IOException e) {
                System.err.println("revenant-stack: " + env + ": " + e.getMessage());
                return IO_ERROR;
            }
        }
        DashboardUrls.lines(config.admin(), configFile.toString(), values).forEach(System.out::println);
        return 0;
    }

    private static int await(ToolOptions options) {
        Path env = Path.of(options.get("env", ToolOptions.STACK_DIR + "/stack.env"));
        Duration timeout;
        try {
            timeout = options.seconds("timeout", ToolOptions.AWAIT_TIMEOUT);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
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

    private static int usage(String problem) {
        System.err.println("revenant-stack: " + problem);
        System.err.println("usage: StackMain render --config FILE --out DIR --image REF [--project NAME]"
                + " [--nginx-image REF] [--nginx-template FILE] [--publish-host ADDR] [--publish-base PORT]"
                + " [--nginx-port PORT] [--healthcheck true|false]");
        System.err.println("       StackMain await --env DIR/stack.env [--timeout 120s]");
        System.err.println("       StackMain dashboard --config FILE [--env DIR/stack.env]");
        return USAGE;
    }
}
