package io.revenant.status;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.json.JsonObject;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.protocol.JsonText;
import io.revenant.protocol.OneShotHttp;
import io.revenant.protocol.ToolExit;

/**
 * {@code revenant status} ({@code java -jar revenant.jar status ...}, {@code make status}): one
 * table of every worker of one or more supervisors, read from their admin {@code /status}, like
 * {@code pm2 ls}; {@code --watch} redraws it every second like {@code pm2 monit}, {@code --json}
 * prints the documents (one per line) for scripts. Whom it asks, first match wins:
 * {@code --admin HOST:PORT} (repeatable), the running stack of {@code --stack-dir} (its
 * {@code stack.env}), the admin listener of {@code --config} (default
 * {@code config/application.yaml}).
 */
public final class StatusMain {

    static final String USAGE = "usage: revenant status [--config FILE | --admin HOST:PORT ... | --stack-dir DIR] [--watch] [--json]";
    /** How long one supervisor may take to answer; its own /status waits at most 500 ms per worker. */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    /** Home and clear screen: each frame of --watch replaces the last one instead of scrolling. */
    private static final String CLEAR = "\033[H\033[2J";

    private StatusMain() {
    }

    /** Runs the subcommand with the arguments after {@code status}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean watch = false;
        boolean json = false;
        Optional<Path> config = Optional.empty();
        Optional<Path> stackDir = Optional.empty();
        List<StatusTarget> targets = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--watch" -> watch = true;
                    case "--json" -> json = true;
                    case "--config" -> config = Optional.of(Path.of(value(args, ++i, "--config")));
                    case "--stack-dir" -> stackDir = Optional.of(Path.of(value(args, ++i, "--stack-dir")));
                    case "--admin" -> targets.add(StatusTarget.ofAddress(value(args, ++i, "--admin")));
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (targets.isEmpty()) {
                targets.addAll(targets(config, stackDir));
            }
        } catch (IllegalArgumentException e) {
            err.println("revenant status: " + e.getMessage());
            err.println(USAGE);
            return ToolExit.USAGE;
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                err.println("revenant status: " + error);
            }
            return ToolExit.CONFIG;
        } catch (IOException e) {
            err.println("revenant status: " + e.getMessage());
            return ToolExit.IO_ERROR;
        } catch (NoAdminPorts e) {
            err.println("revenant status: " + e.getMessage());
            return ToolExit.UNAVAILABLE;
        }
        boolean colour = !json && System.console() != null && System.console().isTerminal();
        if (!watch) {
            return print(ask(targets), json, colour, out, err);
        }
        while (true) {
            List<StatusTable.Answer> answers = ask(targets);
            if (colour) {
                out.print(CLEAR);
            }
            print(answers, json, colour, out, err);
            if (!json) {
                out.println("every " + WATCH_INTERVAL.toSeconds() + " s; Ctrl-C to stop");
            }
            out.flush();
            try {
                Thread.sleep(WATCH_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Thrown when a stack is up but its admin ports are not on the host: nothing to ask, and a user who can act on it. */
    private static final class NoAdminPorts extends Exception {
        NoAdminPorts(String message) {
            super(message);
        }
    }

    private static List<StatusTarget> targets(Optional<Path> config, Optional<Path> stackDir)
            throws IOException, ConfigException, NoAdminPorts {
        Optional<Path> stackEnv = stackDir.map(dir -> dir.resolve("stack.env")).filter(Files::isRegularFile);
        if (stackEnv.isPresent()) {
            try {
                return StatusTarget.ofStack(stackEnv.get());
            } catch (IllegalArgumentException e) {
                throw new NoAdminPorts(e.getMessage());
            }
        }
        Path file = config.orElse(Path.of(ConfigLoader.DEFAULT_PATH));
        return List.of(StatusTarget.ofConfig(file, ConfigLoader.load(file).admin()));
    }

    private static int print(List<StatusTable.Answer> answers, boolean json, boolean colour, PrintStream out, PrintStream err) {
        boolean allAnswered = answers.stream().allMatch(answer -> answer.document().isPresent());
        if (json) {
            for (StatusTable.Answer answer : answers) {
                answer.document().ifPresentOrElse(document -> out.println(JsonText.write(document)),
                        () -> err.println("revenant status: " + answer.target().label() + ": not reachable: " + answer.problem()));
            }
        } else {
            out.print(StatusTable.render(answers, colour));
        }
        out.flush();
        return allAnswered ? 0 : ToolExit.UNAVAILABLE;
    }

    /** Asks every supervisor at once: a stack of unreachable containers costs one timeout, not one each. */
    static List<StatusTable.Answer> ask(List<StatusTarget> targets) {
        List<StatusTable.Answer> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StatusTable.Answer>> pending = targets.stream().map(target -> threads.submit(() -> ask(target))).toList();
            for (Future<StatusTable.Answer> answer : pending) {
                answers.add(answer.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("asking a supervisor failed", e.getCause());
        }
        return answers;
    }

    private static StatusTable.Answer ask(StatusTarget target) {
        try {
            OneShotHttp.Response response = OneShotHttp.get(target.status(), Map.of("Accept", "application/json"), TIMEOUT);
            if (response.status() != 200) {
                return StatusTable.Answer.unreachable(target, target.status() + " answered " + response.status());
            }
            Optional<JsonObject> document = JsonText.parse(response.body()).filter(json -> json.containsKey("slots"));
            return document.map(json -> StatusTable.Answer.of(target, json))
                    .orElseGet(() -> StatusTable.Answer.unreachable(target, target.status() + " did not answer a status document"));
        } catch (ConnectException e) {
            return StatusTable.Answer.unreachable(target, "nothing listens on " + target.host() + ":" + target.port()
                    + " (" + e.getMessage() + "); is the supervisor running, with this admin address?");
        } catch (IOException e) {
            return StatusTable.Answer.unreachable(target, "no answer from " + target.status() + " (" + e + ")");
        }
    }
}
