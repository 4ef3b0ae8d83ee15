package io.revenant.supervisor;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;

import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.protocol.JsonText;
import io.revenant.protocol.OneShotHttp;
import io.revenant.protocol.SupervisorExit;

/**
 * {@code java -jar revenant.jar upgrade [config]}: finds the supervisor serving that config
 * through its admin listener ({@code GET /status} names its pid), sends it SIGUSR2 and waits
 * until a successor answers on the admin port. Exit 0 when one took over, 1 when the old one
 * still serves at the deadline (its log says why), 69 when no supervisor answers, 78 for a bad
 * config.
 */
final class UpgradeCommand {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private record Status(long pid, String instance) {
    }

    private UpgradeCommand() {
    }

    static int run(String[] args) {
        Path configPath = SupervisorMain.configPath(args);
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            SupervisorMain.printErrors(e, "revenant upgrade");
            return SupervisorExit.CONFIG;
        }
        if (!config.admin().enabled()) {
            System.err.println("revenant upgrade: " + config.source() + ": admin.enabled: false; the command finds the"
                               + " supervisor through its admin listener: send SIGUSR2 to the supervisor's pid instead");
            return SupervisorExit.CONFIG;
        }
        String host = config.admin().host();
        int port = config.admin().port();
        Optional<Status> before = status(host, port);
        if (before.isEmpty()) {
            System.err.println("revenant upgrade: no supervisor answers on " + host + ":" + port + " (admin of "
                               + config.source() + ")");
            return SupervisorExit.BOOT_FAILURE;
        }
        long pid = before.get().pid();
        if (!Processes.signal(pid, Signal.USR2)) {
            System.err.println("revenant upgrade: cannot signal pid " + pid + " (gone, or another user's)");
            return SupervisorExit.BOOT_FAILURE;
        }
        System.out.println("revenant upgrade: SIGUSR2 sent to pid " + pid + "; waiting for its successor");
        Duration deadline = config.supervisor().timeoutStart().multipliedBy(2).plusSeconds(20);
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            Optional<Status> now = status(host, port);
            if (now.isPresent() && now.get().pid() != pid) {
                System.out.println("revenant upgrade: pid " + now.get().pid() + " (instance " + now.get().instance()
                                   + ") serves; pid " + pid + " drains and exits");
                return 0;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return SupervisorExit.SOFTWARE;
            }
        }
        System.err.println("revenant upgrade: pid " + pid + " still serves after " + deadline.toSeconds()
                           + " s; its log says why (upgrade-failed, handover-failed)");
        return 1;
    }

    /** The pid and instance in {@code GET /status}, or empty when nothing answers (yet). */
    private static Optional<Status> status(String host, int port) {
        try {
            OneShotHttp.Response answer = OneShotHttp.get(URI.create("http://" + host + ":" + port + "/status"),
                                                          Map.of(), TIMEOUT);
            if (answer.status() != 200) {
                return Optional.empty();
            }
            return JsonText.parse(answer.body())
                    .filter(json -> json.get("pid") instanceof JsonNumber && json.get("instance") instanceof JsonString)
                    .map(json -> new Status(json.getJsonNumber("pid").longValue(), json.getString("instance")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
