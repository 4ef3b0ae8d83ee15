package io.revenant.supervisor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.revenant.config.ConfigError;
import io.revenant.config.ConfigException;
import io.revenant.config.ConfigLoader;
import io.revenant.config.RevenantConfig;
import io.revenant.net.Processes;
import io.revenant.net.Signal;
import io.revenant.protocol.SupervisorExit;

/**
 * {@code java -jar revenant.jar upgrade [config]}: finds the supervisor serving that config
 * through its admin listener ({@code GET /status} names its pid), sends it SIGUSR2 and waits
 * until a successor answers on the admin port. Exit 0 when one took over, 1 when the old one
 * still serves at the deadline (its log says why), 69 when no supervisor answers, 78 for a bad
 * config.
 */
final class UpgradeCommand {

    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final Pattern INSTANCE = Pattern.compile("\"instance\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
    private static final int TIMEOUT_MS = 2000;

    private record Status(long pid, String instance) {
    }

    private UpgradeCommand() {
    }

    static int run(String[] args) {
        Path configPath = Path.of(args.length > 0 ? args[0]
                : Optional.ofNullable(System.getenv("REVENANT_CONFIG")).orElse(ConfigLoader.DEFAULT_PATH));
        RevenantConfig config;
        try {
            config = ConfigLoader.load(configPath);
        } catch (ConfigException e) {
            for (ConfigError error : e.errors()) {
                System.err.println("revenant upgrade: " + error);
            }
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

    /**
     * The head and body of one response, read by its Content-Length: Helidon 4.5.0 keeps the
     * connection open after a response, even when asked to close it (bug #12324).
     */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        Matcher length = CONTENT_LENGTH.matcher(head);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** The pid and instance in {@code GET /status}, or empty when nothing answers (yet). */
    private static Optional<Status> status(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /status HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = response(socket.getInputStream());
            Matcher pid = PID.matcher(answer);
            Matcher instance = INSTANCE.matcher(answer);
            return pid.find() && instance.find() && answer.startsWith("HTTP/1.1 200")
                    ? Optional.of(new Status(Long.parseLong(pid.group(1)), instance.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
