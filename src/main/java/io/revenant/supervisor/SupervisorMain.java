package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.config.WorkerCount;
import io.revenant.net.ListenSocket;
import io.revenant.net.NativeCallException;
import io.revenant.net.Processes;
import io.revenant.protocol.SupervisorExit;
import io.revenant.status.StatusMain;

/**
 * The container entrypoint: {@code java -jar revenant.jar [config/application.yaml]}.
 * Reads and validates the config (exit 78 listing every problem), takes on PID 1's duties,
 * starts the admin listener and hands over to the {@link Supervisor} loop on this thread.
 */
public final class SupervisorMain {

    /** How long the exit waits for queued log lines to be written. */
    private static final long EXIT_FLUSH_MS = 2000;

    private SupervisorMain() {
    }

    /** The configuration file: the first argument, else {@code REVENANT_CONFIG}, else config/application.yaml. */
    static Path configPath(String[] args) {
        return Path.of(args.length > 0 ? args[0]
                : Optional.ofNullable(System.getenv("REVENANT_CONFIG")).orElse(ConfigLoader.DEFAULT_PATH));
    }

    /** Every error of a config that did not load, one line each after {@code command}. */
    static void printErrors(ConfigException e, String command) {
        for (ConfigError error : e.errors()) {
            System.err.println(command + ": " + error);
        }
    }

    public static void main(String[] args) {
        // the jar's subcommands: `status` reads supervisors and starts none; `upgrade` asks one to hand over
        if (args.length > 0 && args[0].equals("status")) {
            System.exit(StatusMain.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals("upgrade")) {
            System.exit(UpgradeCommand.run(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        LogConfig.configureRuntime();
        // one writer per stream: nothing that reads our output slowly, or not at all, can stop the loop
        EventLog log = new EventLog(LogWriter.of(System.out, "stdout"));
        LogWriter errors = LogWriter.of(System.err, "stderr");
        Path configPath = configPath(args);
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            printErrors(e, "revenant");
            System.err.println("revenant: " + e.errors().size() + " configuration error(s); no worker started (exit "
                               + SupervisorExit.CONFIG + ")");
            System.exit(SupervisorExit.CONFIG);
            return;
        }
        try {
            int code = run(config, configPath, log, errors);
            // the last lines, if whoever reads them still does; a stuck reader does not hold the exit
            log.writer().flush(EXIT_FLUSH_MS);
            errors.flush(EXIT_FLUSH_MS);
            System.exit(code);
        } catch (IOException | NativeCallException e) {
            System.err.println("revenant: " + e.getMessage());
            System.exit(SupervisorExit.SOFTWARE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(SupervisorExit.SOFTWARE);
        }
    }

    private static int run(RevenantConfig config, Path configPath, EventLog log, LogWriter errors)
            throws IOException, InterruptedException {
        String instance = UUID.randomUUID().toString();
        String version = Optional.ofNullable(System.getenv("REVENANT_VERSION"))
                .or(() -> Optional.ofNullable(SupervisorMain.class.getPackage().getImplementationVersion()))
                .orElse("dev");
        int cpus = Runtime.getRuntime().availableProcessors();
        int hostCpus = Processes.onlineCpus();
        long pid = ProcessHandle.current().pid();

        sweepRuntimeDirectories(log);

        // the one public socket, opened before any worker and kept for the supervisor's whole life;
        // or, when a supervisor already serves this port here, that one's socket (a hand-over)
        Optional<HandoverTaker> predecessor = HandoverTaker.find(config.server().port());
        ListenSocket listener;
        if (predecessor.isPresent()) {
            try {
                listener = predecessor.get().receive(config.server().host(), config.server().port());
            } catch (HandoverTaker.Refused e) {
                predecessor.get().close();
                System.err.println("revenant: hand-over: " + e.getMessage() + "; the serving supervisor keeps serving");
                return SupervisorExit.BOOT_FAILURE;
            }
        } else {
            try {
                listener = ListenSocket.open(config.server().host(), config.server().port(), config.server().backlog());
            } catch (ListenSocket.BindFailure e) {
                System.err.println("revenant: " + config.source() + ": " + e.key() + ": " + e.getMessage());
                return SupervisorExit.BOOT_FAILURE;
            }
        }

        SupervisorLoop supervisor = new SupervisorLoop(config, configPath,
                new SupervisorIdentity(instance, version, pid, Instant.now()), cpus, hostCpus, listener, log, errors);
        // before the first line: whoever starts us and waits for that line may stop us at once,
        // and a TERM queued before the loop runs is still a graceful stop (exit 0, not 143)
        SignalEvents.Installed signals = SignalEvents.install(supervisor::enqueue);
        WorkerCount count = supervisor.workerCount();
        log.event("supervisor-start", "instance", instance, "version", version, "pid", pid, "config", configPath,
                  "cpus", count.cpus(), "reserve-cpus", count.reserveCpus(), "containers", count.containers(), "workers", count.workers(),
                  "basis", count.basis(), "host-cpus", hostCpus, "port", config.server().port(),
                  "heap", WorkerHeap.choose(config.worker().jvmOptions(), config.worker().heapMib(), WorkerHeap.memory(),
                                            count.workers() + config.supervisor().spare()).described());
        AotCacheOption.problem(config.worker().jvmOptions(), Path.of("").toAbsolutePath(), AotCacheOption.runningJar())
                .ifPresent(problem -> log.event("aot-cache", "file", AotCacheOption.cache(config.worker().jvmOptions(),
                        Path.of("")).orElseThrow(), "state", problem, "message", "workers start without it (slower);"
                        + " train it with `make aot` (the image trains its own at build)"));
        log.event("listening", "host", config.server().host(), "port", config.server().port(),
                  "backlog", config.server().backlog(), "socket", "socket:[" + listener.inode() + "]",
                  "from", predecessor.isPresent() ? "predecessor" : "bind",
                  "message", predecessor.isPresent()
                          ? "taken over from the supervisor serving this port; it serves until these workers are READY"
                          : "the supervisor owns the socket; workers borrow it, so no worker's exit closes it");
        if (config.chaos().killEndpoint()) {
            log.event("warning", "key", "chaos.kill-endpoint", "message",
                      "POST /chaos/kill is enabled: anyone who reaches port " + config.server().port()
                      + " can kill workers" + (config.chaos().token().isPresent() ? " with the token" : ""));
        }
        if (!signals.refused().isEmpty()) {
            log.event("signals-not-handled", "signals", String.join(",", signals.refused()),
                      "message", "the JVM keeps these (started with -Xrs?); graceful stop and reload by signal are off");
        }
        if (!signals.restored().isEmpty()) {
            log.event("signal-restored", "signals", String.join(",", signals.restored()),
                      "message", "inherited as ignored (nohup?); now handled: HUP reloads");
        }
        if (!signals.ignored().isEmpty()) {
            log.event("signals-ignored", "signals", String.join(",", signals.ignored()),
                      "message", "inherited as ignored (a shell ignores INT for its background jobs) and left so");
        }
        Processes.becomeChildSubreaper();
        AtomicReference<WebServer> admin = new AtomicReference<>();
        AtomicReference<HandoverServer> handovers = new AtomicReference<>();
        Runnable stop = () -> supervisor.enqueue(new Event.SignalReceived("TERM"));
        // the admin port and the hand-over name are one supervisor's at a time: a successor takes
        // them only after its predecessor let them go (docs/deploys.md, "The hand-over")
        Runnable takeOver = () -> {
            admin.set(AdminListener.start(config, supervisor, log));
            handovers.set(HandoverServer.start(listener, () -> stopAdmin(admin), stop, log));
        };
        supervisor.upgradeWith(new Upgrade(log, () -> handovers.get() != null && handovers.get().handedOver()));
        AtomicBoolean handoverFailed = new AtomicBoolean();
        if (predecessor.isPresent()) {
            Succession.start(predecessor.get(), supervisor.snapshot()::get,
                             config.supervisor().timeoutStart().multipliedBy(2).plusSeconds(10), takeOver, stop,
                             handoverFailed, log);
        } else {
            takeOver.run();
        }
        ConfigWatcher.start(configPath, supervisor::enqueue);
        try {
            int code = supervisor.run();
            return handoverFailed.get() ? SupervisorExit.BOOT_FAILURE : code;
        } finally {
            log.feed().close();   // ends the dashboards' event streams, which would hold the stop
            stopAdmin(admin);
            HandoverServer server = handovers.get();
            if (server != null) {
                server.close();
            }
        }
    }

    private static void stopAdmin(AtomicReference<WebServer> admin) {
        WebServer server = admin.getAndSet(null);
        if (server != null) {
            server.stop();
        }
    }

    /** Leftovers of supervisors that were SIGKILLed; failing to look is worth a line, not the start. */
    private static void sweepRuntimeDirectories(EventLog log) {
        try {
            for (Path dir : RuntimeDirectories.sweep()) {
                log.event("runtime-dir-removed", "dir", dir, "message", "left behind by a supervisor that is gone");
            }
        } catch (IOException e) {
            log.event("warning", "dir", System.getProperty("java.io.tmpdir"),
                      "message", "cannot look for leftover runtime directories: " + e);
        }
    }
}
