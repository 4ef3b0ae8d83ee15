package io.revenant.supervisor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.config.WorkerCount;
import io.revenant.net.NativeCallException;
import io.revenant.net.Processes;

/**
 * The container entrypoint: {@code java -jar revenant.jar [config/application.yaml]}.
 * Reads and validates the config (exit 78 listing every problem), takes on PID 1's duties,
 * starts the admin listener and hands over to the {@link Supervisor} loop on this thread.
 */
public final class SupervisorMain {

    private SupervisorMain() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        EventLog log = new EventLog(System.out);
        Path configPath = Path.of(args.length > 0 ? args[0]
                : Optional.ofNullable(System.getenv("REVENANT_CONFIG")).orElse(ConfigLoader.DEFAULT_PATH));
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println("revenant: " + error);
            }
            System.err.println("revenant: " + e.errors().size() + " configuration error(s); no worker started (exit "
                               + SupervisorExit.CONFIG + ")");
            System.exit(SupervisorExit.CONFIG);
            return;
        }
        try {
            System.exit(run(config, configPath, log));
        } catch (IOException | NativeCallException e) {
            System.err.println("revenant: " + e.getMessage());
            System.exit(SupervisorExit.SOFTWARE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(SupervisorExit.SOFTWARE);
        }
    }

    private static int run(RevenantConfig config, Path configPath, EventLog log) throws IOException, InterruptedException {
        String instance = UUID.randomUUID().toString();
        String version = Optional.ofNullable(System.getenv("REVENANT_VERSION"))
                .or(() -> Optional.ofNullable(SupervisorMain.class.getPackage().getImplementationVersion()))
                .orElse("dev");
        int cpus = Runtime.getRuntime().availableProcessors();
        int hostCpus = Processes.onlineCpus();
        long pid = ProcessHandle.current().pid();

        Optional<String> portProblem = PortCheck.problem(config.server().host(), config.server().port());
        if (portProblem.isPresent()) {
            System.err.println("revenant: " + config.source() + ": server.port: cannot listen on "
                               + config.server().host() + ":" + config.server().port() + " (" + portProblem.get()
                               + "); is another server using port " + config.server().port() + "?");
            return SupervisorExit.BOOT_FAILURE;
        }

        Supervisor supervisor = new Supervisor(config, configPath, instance, version, cpus, hostCpus, log);
        WorkerCount count = supervisor.workerCount();
        log.event("supervisor-start", "instance", instance, "version", version, "pid", pid, "config", configPath,
                  "cpus", count.cpus(), "containers", count.containers(), "workers", count.workers(),
                  "basis", count.basis(), "host-cpus", hostCpus, "port", config.server().port());
        if (config.chaos().killEndpoint()) {
            log.event("warning", "key", "chaos.kill-endpoint", "message",
                      "POST /chaos/kill is enabled: anyone who reaches port " + config.server().port()
                      + " can kill workers" + (config.chaos().token().isPresent() ? " with the token" : ""));
        }
        List<String> refused = SignalEvents.install(supervisor::enqueue);
        if (!refused.isEmpty()) {
            log.event("signals-not-handled", "signals", String.join(",", refused),
                      "message", "the JVM keeps these (started with -Xrs?); graceful stop and reload by signal are off");
        }
        Processes.becomeChildSubreaper();
        boolean migrate = TcpMigrate.enable(config.supervisor().tcpMigrateReq(), pid == 1, log);
        if (config.supervisor().holdPort()) {
            if (migrate) {
                supervisor.holdPort(PortKeeper.start(config.server().host(), config.server().port(), log));
                log.event("port-held", "port", config.server().port(),
                          "message", "connections queue while no worker is up and move to workers when one is READY");
            } else {
                log.event("port-not-held", "key", "supervisor.hold-port",
                          "message", "needs net.ipv4.tcp_migrate_req=1; while no worker is up, connections are refused");
            }
        }
        WebServer admin = AdminListener.start(config, supervisor, log);
        ConfigWatcher.start(configPath, supervisor::enqueue);
        try {
            return supervisor.run();
        } finally {
            if (admin != null) {
                admin.stop();
            }
        }
    }

}
