package io.revenant.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.revenant.stack.WorkerReply;
import io.revenant.testing.Await;
import io.revenant.testing.Http;
import io.revenant.testing.WrkLoad;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Issue 15, step 3's mechanism with the real image and engine: a slot's network namespace is
 * held by a holder container (the app image running {@code sleep infinity}, which publishes the
 * slot's port and has the address nginx's upstream names), and app containers join it
 * ({@code --network container:…}). A new version's container started in the slot takes the
 * listening socket over from the serving one, which drains and exits 0; nginx is never reloaded.
 * Loads that never retry (wrk-like kept-alive connections) run through nginx and straight to the
 * slot's published port. Its own names: project rv-hand-slot, ports 5620 (slot) and 5621
 * (nginx), so it runs beside the other stacks. Not yet wired into {@code make deploy}: see
 * docs/deploys.md.
 */
@ExtendWith(NoSysctl.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SlotHandoverE2E {

    private static final String PROJECT = "rv-hand-slot";
    private static final String NETWORK = PROJECT + "-net";
    private static final String HOLDER = PROJECT + "-app1-net";
    private static final String NGINX = PROJECT + "-nginx";
    private static final int SLOT_PORT = 5620;
    private static final int NGINX_PORT = 5621;
    private static final int CONNECTIONS = 4;
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Pattern LISTEN_3000 = Pattern.compile("(?m)^\\s*\\d+: [0-9A-F]+:0BB8 0+:0000 0A(?:\\s+\\S+){5}\\s+(\\d+)");

    private final String image = System.getProperty("image", "revenant:latest");
    private final Path dir = Stack.ROOT.resolve("target/e2e/" + PROJECT);
    /** The app container that serves the slot now. */
    private String serving;

    @BeforeAll
    void holderNginxAndFirstVersion() throws Exception {
        cleanUp();
        Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(dir.resolve("broken"));
        Files.createDirectories(dir.resolve("nginx"));
        String yaml = """
                server: {host: 0.0.0.0, port: 3000}
                admin: {port: 9000}
                supervisor: {workers: 1, containers: 2}
                """;
        Files.writeString(dir.resolve("config/application.yaml"), yaml);
        // what a broken release looks like: a config its supervisor rejects (exit 78)
        Files.writeString(dir.resolve("broken/application.yaml"),
                          yaml.replace("containers: 2}", "containers: 2, restart: sometimes}"));
        check(Stack.engine("network", "create", "--label", label(), NETWORK));
        check(Stack.engine("run", "-d", "--name", HOLDER, "--label", label(), "--network", NETWORK,
                           "--network-alias", "app1", "-p", "127.0.0.1:" + SLOT_PORT + ":3000",
                           "--no-healthcheck", "--entrypoint", "sleep", image, "infinity"));
        String address = check(Stack.engine("inspect", "--format",
                "{{(index .NetworkSettings.Networks \"" + NETWORK + "\").IPAddress}}", HOLDER)).strip();
        Files.writeString(dir.resolve("nginx/default.conf"), """
                upstream app { server ADDRESS:3000; }
                server {
                    listen 80;
                    location / {
                        proxy_pass http://app;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
                """.replace("ADDRESS", address));
        check(Stack.engine("run", "-d", "--name", NGINX, "--label", label(), "--network", NETWORK,
                           "-p", "127.0.0.1:" + NGINX_PORT + ":80", "-v", dir.resolve("nginx") + ":/etc/nginx/conf.d:ro",
                           "nginx:1.27"));
        serving = startApp("app1-v1", "v1", dir.resolve("config"));
        awaitVersion(SLOT_PORT, "v1");
        awaitVersion(NGINX_PORT, "v1");
    }

    @AfterAll
    void cleanUp() throws Exception {
        for (String name : check(Stack.engine("ps", "-a", "--filter", "label=" + label(), "--format", "{{.Names}}"))
                .lines().filter(line -> !line.isBlank()).toList()) {
            Stack.engine("rm", "-f", "-t", "0", name);
        }
        Stack.engine("network", "rm", "-f", NETWORK);
    }

    @Test
    @Order(1)
    void aNewVersionInTheSlotTakesTheSocketOverWithoutAnErrorOrAnNginxReload() throws Exception {
        long inode = listeningInode();
        List<Long> nginxPids = nginxPids();
        String old = serving;
        try (WrkLoad direct = new WrkLoad("127.0.0.1", SLOT_PORT, "/", CONNECTIONS, Duration.ofSeconds(30),
                                          Duration.ofMinutes(3));
             WrkLoad proxied = new WrkLoad("127.0.0.1", NGINX_PORT, "/", CONNECTIONS, Duration.ofSeconds(30),
                                           Duration.ofMinutes(3))) {
            Await.until("load flowing", Duration.ofSeconds(30), () -> direct.requests() > 100 && proxied.requests() > 100);
            serving = startApp("app1-v2", "v2", dir.resolve("config"));
            Await.until(() -> old + " exited\n" + logs(serving), READY, () -> !running(old));
            assertThat(logs(old), exitCode(old), is(0));
            String v2 = awaitVersion(SLOT_PORT, "v2");
            Await.until("both loads answered by v2", Duration.ofSeconds(30),
                        () -> direct.instances().contains(v2) && proxied.instances().contains(v2));
            long at = direct.requests() + proxied.requests();
            Await.until("more load on v2", Duration.ofSeconds(30), () -> direct.requests() + proxied.requests() > at + 200);
            WrkLoad.Report directReport = direct.stop();
            WrkLoad.Report proxiedReport = proxied.stop();
            record("hand-over v1 -> v2, straight to the slot's port", directReport);
            record("hand-over v1 -> v2, through nginx", proxiedReport);
            assertThat(directReport.toString(), directReport.failures(), is(0L));
            assertThat(proxiedReport.toString(), proxiedReport.failures(), is(0L));
            assertThat(directReport.instances(), hasSize(2));
        }
        assertThat(listeningInode(), is(inode));
        assertThat(nginxPids(), is(nginxPids));
        assertThat(logs(old), containsString("event=handover-drain"));
        assertThat(logs(serving), containsString("from=predecessor"));
    }

    @Test
    @Order(2)
    void aBrokenVersionFailsAloneAndTheServingOneKeepsItsSocket() throws Exception {
        long inode = listeningInode();
        List<Long> nginxPids = nginxPids();
        String instance = awaitVersion(SLOT_PORT, "v2");
        try (WrkLoad direct = new WrkLoad("127.0.0.1", SLOT_PORT, "/", CONNECTIONS, Duration.ofSeconds(30),
                                          Duration.ofMinutes(3));
             WrkLoad proxied = new WrkLoad("127.0.0.1", NGINX_PORT, "/", CONNECTIONS, Duration.ofSeconds(30),
                                           Duration.ofMinutes(3))) {
            Await.until("load flowing", Duration.ofSeconds(30), () -> direct.requests() > 100 && proxied.requests() > 100);
            String broken = startApp("app1-broken", "v3", dir.resolve("broken"));
            Await.until(() -> broken + " exited\n" + logs(broken), READY, () -> !running(broken));
            assertThat(logs(broken), exitCode(broken), is(78));
            long at = direct.requests() + proxied.requests();
            Await.until("more load", Duration.ofSeconds(30), () -> direct.requests() + proxied.requests() > at + 200);
            WrkLoad.Report directReport = direct.stop();
            WrkLoad.Report proxiedReport = proxied.stop();
            record("broken version, straight to the slot's port", directReport);
            record("broken version, through nginx", proxiedReport);
            assertThat(directReport.toString(), directReport.failures(), is(0L));
            assertThat(proxiedReport.toString(), proxiedReport.failures(), is(0L));
            assertThat(directReport.instances(), is(Set.of(instance)));
        }
        assertThat(running(serving), is(true));
        assertThat(listeningInode(), is(inode));
        assertThat(nginxPids(), is(nginxPids));
    }

    private String startApp(String suffix, String version, Path config) throws Exception {
        String name = PROJECT + "-" + suffix;
        check(Stack.engine("run", "-d", "--name", name, "--label", label(), "--network", "container:" + HOLDER,
                           "--restart", "no", "--no-healthcheck", "-e", "REVENANT_VERSION=" + version,
                           "-v", config + ":/app/config:ro", image));
        return name;
    }

    /** The instance id that answers {@code GET /} on {@code port} with {@code version}. */
    private static String awaitVersion(int port, String version) {
        return Await.until("version " + version + " on port " + port, READY, () -> {
            try {
                return Optional.of(Http.request(port, "GET", "/", Http.ACCEPT_JSON))
                        .filter(response -> response.status() == 200)
                        .filter(response -> version.equals(response.field("version")))
                        .flatMap(response -> WorkerReply.parse(response.body()))
                        .map(WorkerReply::instance);
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** The inode of the socket listening on port 3000 in the slot's network namespace. */
    private static long listeningInode() throws Exception {
        String tcp = check(Stack.engine("exec", HOLDER, "cat", "/proc/net/tcp"));
        Matcher matcher = LISTEN_3000.matcher(tcp);
        assertThat(tcp, matcher.find(), is(true));
        long inode = Long.parseLong(matcher.group(1));
        assertThat("one listening socket on 3000\n" + tcp, matcher.find(), is(false));
        return inode;
    }

    /** nginx's master and its workers, as the host sees them. */
    private static List<Long> nginxPids() throws Exception {
        long master = Stack.mainPid(NGINX);
        List<Long> pids = new java.util.ArrayList<>(List.of(master));
        ProcessHandle.of(master).ifPresent(handle -> handle.children().map(ProcessHandle::pid).sorted().forEach(pids::add));
        return pids;
    }

    private static boolean running(String container) {
        return engine("inspect", "--format", "{{.State.Running}}", container).output().strip().equals("true");
    }

    private static int exitCode(String container) throws IOException, InterruptedException {
        return Integer.parseInt(check(Stack.engine("inspect", "--format", "{{.State.ExitCode}}", container)).strip());
    }

    private static String logs(String container) {
        return engine("logs", container).output();
    }

    /** The engine, for conditions polled in lambdas. */
    private static Stack.Result engine(String... args) {
        try {
            return Stack.engine(args);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String check(Stack.Result result) {
        assertThat(result.output(), result.code(), is(0));
        return result.output();
    }

    private static String label() {
        return "com.docker.compose.project=" + PROJECT;
    }

    private static void record(String what, WrkLoad.Report report) throws IOException {
        Files.createDirectories(Stack.LOGS);
        Files.writeString(Stack.LOGS.resolve("slot-handover.txt"), what + ": " + report + "\n",
                          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        System.out.println(what + ": " + report);
    }
}
