package io.revenant.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

import io.revenant.protocol.JsonText;
import io.revenant.testing.Await;
import io.revenant.testing.Http;
import io.revenant.testing.WrkLoad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code make deploy} and {@code make rollback} under steady GET loads that never retry
 * (wrk-like kept-alive connections, {@link WrkLoad}): one through nginx, one straight to app1's
 * published port. Each slot's new container takes the listening socket over from the old one in
 * the slot's network namespace (issue 15): 0 errors of any kind, nginx's master and worker pids
 * unchanged (never reloaded), the same listening socket (inode) in each slot before and after. A stack of
 * its own (project revenant-e2e-deploy, nginx on 127.0.0.1:5333, containers on 5001-5002, image
 * revenant-e2e-deploy:*, files in target/stack-e2e-deploy), so it runs beside the default stack
 * and its tests.
 *
 * <p>Each case stands alone (issue 13: they used to build on each other): it first brings the
 * stack to the state it starts from with plain {@code make deploy} calls ({@link #serving}), which
 * are no-ops when that state is already there. The order below (deploy, a broken deploy,
 * rollback) is the one in which no case needs a set-up deploy; it saves time, nothing depends on it.
 */
@ExtendWith(NoSysctl.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeployE2E {

    private static final String NAME = "deploy";
    private static final String PROJECT = "revenant-e2e-deploy";
    private static final String IMAGE_NAME = "revenant-e2e-deploy";
    private static final List<String> MAKE_VARS = List.of("PROJECT=" + PROJECT, "NGINX_PORT=5333",
            "IMAGE_NAME=" + IMAGE_NAME, "STACK_DIR=target/stack-e2e-deploy", "DEPLOY_TIMEOUT=60");
    /** A few connections: enough to have requests in flight at every step, little for 2 cores. */
    private static final int CONNECTIONS = 4;
    private static final String NEXT = "0.1.0-e2e-next";
    private static final String BROKEN = "0.1.0-e2e-broken";
    /** server.port of this stack's config (port: 3000 is replaced by it in up()). */
    private static final int APP_PORT = 5000;
    /** A socket listening on {@link #APP_PORT} in /proc/net/tcp (port in hex), and its inode. */
    private static final Pattern LISTENING = Pattern.compile("(?m)^\\s*\\d+: [0-9A-F]+:" + String.format("%04X", APP_PORT)
                                                             + " 0+:0000 0A(?:\\s+\\S+){5}\\s+(\\d+)");

    private final List<String> tags = new ArrayList<>();
    private Stack stack;
    private String firstVersion;

    @BeforeAll
    void up() throws IOException, InterruptedException {
        stack = Stack.up(NAME, MAKE_VARS, "port: 3000 ", "port: " + APP_PORT + " ");
        firstVersion = versions().getFirst();
        tags.addAll(List.of(IMAGE_NAME + ":" + firstVersion, IMAGE_NAME + ":latest", IMAGE_NAME + ":previous",
                            IMAGE_NAME + ":" + NEXT, IMAGE_NAME + ":" + BROKEN));
    }

    @AfterAll
    void down() throws IOException, InterruptedException {
        try {
            if (stack != null) {
                stack.close();
                List<String> left = Stack.leftovers(PROJECT);
                assertTrue(left.isEmpty(), "left after make down: " + left);
            }
        } finally {
            // only the tags this class made; the layers stay in the build cache
            List<String> rmi = new ArrayList<>(List.of("rmi"));
            rmi.addAll(tags);
            Stack.engine(rmi.toArray(String[]::new));
        }
    }

    @Test
    @Order(1)
    void deployUnderLoadFailsNoRequestAndReplacesEveryContainer() throws IOException, InterruptedException {
        serving(firstVersion);
        Map<Integer, String> before = instances();
        Outcome outcome = underLoad("deploy", () -> stack.makeResult("deploy", "deploy", "VERSION=" + NEXT));
        assertEquals(0, outcome.make().code(), "make deploy failed:\n" + outcome.make().tail(40));
        Map<Integer, String> after = instances();
        for (int i = 1; i <= stack.env.containers(); i++) {
            assertNotEquals(before.get(i), after.get(i), "container " + i + " has the same instance id");
        }
        assertTrue(outcome.load().instances().containsAll(after.values()),
                   "nginx served from the new containers " + after.values() + ": " + outcome.load().instances());
        assertEquals(List.of(NEXT, NEXT), versions(), "versions on the published ports");
        assertEquals(NEXT, version(Http.get(stack.env.nginx()).body()), "version through nginx");
        assertOnlyTheStackContainers();
        stack.assertNoSysctl();
        outcome.assertNoErrorAndNoNginxReload("make deploy");
        assertTrue(outcome.make().output().contains("event=container-handed-over")
                   && outcome.make().output().contains("nginx=unchanged"),
                   "the deploy log does not say each slot was handed over with nginx unchanged:\n" + outcome.make().tail(40));
    }

    @Test
    @Order(2)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aBrokenVersionFailsTheDeployWithItsReasonAndChangesNothing() throws IOException, InterruptedException {
        serving(NEXT);   // the broken image is built FROM the NEXT image, and NEXT is what must stay
        Map<Integer, String> before = instances();
        Path nginxConf = Stack.ROOT.resolve(stack.stackDir()).resolve("nginx/default.conf");
        String confBefore = Files.readString(nginxConf);
        Outcome outcome = underLoad("broken-deploy", () -> stack.makeResult("broken-deploy", "deploy", "VERSION=" + BROKEN,
                "DOCKERFILE=src/test/resources/e2e/broken.Dockerfile",
                "DEPLOY_BUILD_ARGS=--build-arg BASE=" + IMAGE_NAME + ":" + NEXT));
        String output = outcome.make().output();
        assertNotEquals(0, outcome.make().code(), "make deploy of a broken image succeeded:\n" + outcome.make().tail(40));
        assertTrue(output.contains(PROJECT + "-app1-next (image " + IMAGE_NAME + ":" + BROKEN + ") did not take over"),
                   "no reason in:\n" + outcome.make().tail(40));
        assertTrue(output.contains("supervisor.restart: must be one of always, on-failure, no; got \"sometimes\""),
                   "the new container's log lines are not quoted:\n" + outcome.make().tail(40));
        assertEquals(before, instances(), "the serving containers changed");
        assertEquals(List.of(NEXT, NEXT), versions());
        assertEquals(confBefore, Files.readString(nginxConf), "nginx's config changed");
        assertOnlyTheStackContainers();
        outcome.assertNoErrorAndNoNginxReload("the broken deploy");
    }

    @Test
    @Order(3)
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void rollbackUnderLoadFailsNoRequestAndReturnsThePreviousVersion() throws IOException, InterruptedException {
        // from NEXT back to the first version: :previous must be the first version's image
        if (!versions().equals(everywhere(NEXT)) || !previousIs(firstVersion)) {
            serving(firstVersion);
            serving(NEXT);
        }
        assertTrue(previousIs(firstVersion), IMAGE_NAME + ":previous is not the image of " + firstVersion);
        Map<Integer, String> before = instances();
        Outcome outcome = underLoad("rollback", () -> stack.makeResult("rollback", "rollback"));
        assertEquals(0, outcome.make().code(), "make rollback failed:\n" + outcome.make().tail(40));
        Map<Integer, String> after = instances();
        for (int i = 1; i <= stack.env.containers(); i++) {
            assertNotEquals(before.get(i), after.get(i), "container " + i + " has the same instance id");
        }
        assertEquals(List.of(firstVersion, firstVersion), versions(), "versions after the rollback");
        assertOnlyTheStackContainers();
        stack.assertNoSysctl();
        outcome.assertNoErrorAndNoNginxReload("make rollback");
    }

    /**
     * Set-up, not under test: every container serves {@code version}, by a {@code make deploy}
     * when one does not. A deploy of another version tags what served before as {@code :previous}.
     */
    private void serving(String version) throws IOException, InterruptedException {
        if (versions().equals(everywhere(version))) {
            return;
        }
        Stack.Result deploy = stack.makeResult("setup-deploy-" + version, "deploy", "VERSION=" + version);
        assertEquals(0, deploy.code(), "set-up: make deploy VERSION=" + version + " failed:\n" + deploy.tail(40));
        assertEquals(everywhere(version), versions(), "set-up: versions after make deploy VERSION=" + version);
    }

    private List<String> everywhere(String version) {
        return Collections.nCopies(stack.env.containers(), version);
    }

    /** Whether {@code <image>:previous} is the image tagged {@code version}. */
    private boolean previousIs(String version) throws IOException, InterruptedException {
        Stack.Result previous = Stack.engine("image", "inspect", "--format", "{{.Id}}", IMAGE_NAME + ":previous");
        Stack.Result wanted = Stack.engine("image", "inspect", "--format", "{{.Id}}", IMAGE_NAME + ":" + version);
        return previous.code() == 0 && wanted.code() == 0 && previous.output().strip().equals(wanted.output().strip());
    }

    /**
     * A make call, the loads that ran through nginx and straight to app1's published port
     * meanwhile, and nginx's master and worker pids before and after.
     */
    private record Outcome(Stack.Result make, WrkLoad.Report load, WrkLoad.Report direct, List<Long> nginxBefore,
                           List<Long> nginxAfter, List<Long> inodesBefore, List<Long> inodesAfter) {

        void assertNoErrorAndNoNginxReload(String what) {
            assertEquals(0, load.failures(), "errors through nginx during " + what + ": " + load);
            assertEquals(0, direct.failures(), "errors on app1's published port during " + what + ": " + direct);
            assertEquals(nginxBefore, nginxAfter, "nginx's master and worker pids changed (reloaded) during " + what);
            assertTrue(!make.output().contains("nginx-reload"), "the deploy reloaded nginx:\n" + make.tail(40));
            assertEquals(inodesBefore, inodesAfter, "the slots' listening sockets (inodes) changed during " + what);
        }
    }

    private interface MakeCall {
        Stack.Result run() throws IOException, InterruptedException;
    }

    /**
     * Runs {@code call} while {@link #CONNECTIONS} clients GET through nginx and as many straight
     * to app1's published port, from before it starts until nginx has answered from every
     * container the stack has after it; records the figures.
     */
    private Outcome underLoad(String label, MakeCall call) throws IOException, InterruptedException {
        WrkLoad.Report report;
        WrkLoad.Report directReport;
        Stack.Result result;
        long started;
        long took;
        List<Long> nginxBefore = nginxPids();
        List<Long> inodesBefore = listeningInodes();
        try (WrkLoad load = new WrkLoad(stack.env.publishHost(), stack.env.nginxPort(), "/", CONNECTIONS,
                                        Duration.ofSeconds(30), Duration.ofMinutes(6));
             WrkLoad direct = new WrkLoad(stack.env.publishHost(), stack.env.appPorts().getFirst(), "/", CONNECTIONS,
                                          Duration.ofSeconds(30), Duration.ofMinutes(6))) {
            Await.slowly("load through nginx and on app1's port is flowing", Duration.ofSeconds(20),
                        () -> load.requests() > 20 && direct.requests() > 20,
                        () -> load.requests() + " and " + direct.requests() + " requests");
            started = System.nanoTime();
            result = call.run();
            took = System.nanoTime() - started;
            Map<Integer, String> now = instances();
            Await.slowly("nginx answers from every container " + now.values(), Duration.ofSeconds(30),
                        () -> load.instances().containsAll(now.values()), () -> load.instances().toString());
            report = load.stop();
            directReport = direct.stop();
        }
        String line = Instant.now() + " " + label + " exit=" + result.code() + " make-s=" + took / 1_000_000_000
                      + " connections=" + CONNECTIONS + " through-nginx " + report + " | straight-to-app1 " + directReport;
        System.out.println(line);
        Files.createDirectories(Stack.LOGS);
        Files.writeString(Stack.LOGS.resolve("deploy.txt"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new Outcome(result, report, directReport, nginxBefore, nginxPids(), inodesBefore, listeningInodes());
    }

    /**
     * The inode of the one socket listening on the app port in each slot's network namespace, read
     * in its holder: the hand-over passes that socket on, so it never changes.
     */
    private List<Long> listeningInodes() throws IOException, InterruptedException {
        List<Long> inodes = new ArrayList<>();
        for (String container : stack.env.appContainers()) {
            Stack.Result tcp = Stack.engine("exec", container + "-net", "cat", "/proc/net/tcp");
            assertEquals(0, tcp.code(), tcp.output());
            Matcher matcher = LISTENING.matcher(tcp.output());
            assertTrue(matcher.find(), "nothing listens on " + APP_PORT + " in " + container + "'s namespace:\n" + tcp.output());
            inodes.add(Long.parseLong(matcher.group(1)));
            assertTrue(!matcher.find(), "more than one socket listens on " + APP_PORT + " in " + container + "'s namespace:\n"
                       + tcp.output());
        }
        return inodes;
    }

    /** nginx's master and its workers, as the host sees them. */
    private List<Long> nginxPids() throws IOException, InterruptedException {
        long master = Stack.mainPid(stack.env.nginxContainer());
        List<Long> pids = new ArrayList<>(List.of(master));
        ProcessHandle.of(master).ifPresent(handle -> handle.children().map(ProcessHandle::pid).sorted().forEach(pids::add));
        return pids;
    }

    /** Instance id of each container, asked on its published port (waits until each answers). */
    private Map<Integer, String> instances() throws InterruptedException {
        Map<Integer, String> instances = new HashMap<>();
        for (int i = 1; i <= stack.env.containers(); i++) {
            int container = i;
            Await.slowly("container " + i + " answers on " + stack.env.app(i), Duration.ofSeconds(30),
                        () -> Http.identify(stack.env.app(container)).isPresent(), () -> "no answer");
            instances.put(i, Http.identify(stack.env.app(i)).orElseThrow().instance());
        }
        return instances;
    }

    /** The version each container reports on its published port, container 1 first. */
    private List<String> versions() throws IOException, InterruptedException {
        List<String> versions = new ArrayList<>();
        for (int i = 1; i <= stack.env.containers(); i++) {
            versions.add(version(Http.get(stack.env.app(i)).body()));
        }
        return versions;
    }

    private static String version(String json) {
        return JsonText.parse(json).map(identity -> identity.getString("version", "none in " + json)).orElse("none in " + json);
    }

    /** The project has its app containers, their slots' holders and nginx, under their usual names, and nothing else. */
    private void assertOnlyTheStackContainers() throws IOException, InterruptedException {
        List<String> expected = new ArrayList<>(stack.env.appContainers());
        stack.env.appContainers().forEach(container -> expected.add(container + "-net"));
        expected.add(stack.env.nginxContainer());
        List<String> names = Stack.engine("ps", "-a", "--filter", "label=com.docker.compose.project=" + PROJECT,
                                          "--format", "{{.Names}}").output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(Set.copyOf(expected), Set.copyOf(names), "containers of " + PROJECT);
    }
}
